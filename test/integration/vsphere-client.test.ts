// VimClient against the real vcsim (strict login, TLS with its self-signed certificate). Every effect is checked
// through a second, independent session (`observer`), not only through what the acting client returned.
import { strict as assert } from "assert";
import { inspect } from "util";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import {
  MoRef,
  TaskError,
  VimClient,
  VsphereConnection,
  containerViewSpec,
  folderTreeSpec,
  isFault,
} from "../../sdk/vsphere";

describe("vsphere VimClient against vcsim", function () {
  this.timeout(60_000);
  let sim: Vcsim;
  let client: VimClient;
  let observer: VimClient;
  let vmFolder: MoRef;
  let source: MoRef;
  let testFolder: MoRef;
  let clone: MoRef;

  const conn = (over: Partial<VsphereConnection> = {}): VsphereConnection => ({
    url: sim.url,
    username: sim.username,
    password: sim.password,
    ca: sim.ca,
    ...over,
  });

  async function rejection(p: Promise<unknown>): Promise<Error> {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof Error, `expected an Error, got ${inspect(err)}`);
      return err;
    }
    assert.fail("expected the call to fail");
  }

  async function props(obj: MoRef, pathSet: string[]): Promise<Record<string, unknown>> {
    const [content] = await observer.retrieveProperties({
      propSet: [{ type: obj.type, pathSet }],
      objectSet: [{ obj }],
    });
    assert.ok(content, `no properties for ${obj.value}`);
    return content.props;
  }

  before(async () => {
    // vcsim 0.46's strict login rejects every user name containing "@" (such as startVcsim's default
    // administrator@vsphere.local), so this suite uses a plain one.
    sim = await startVcsim({ username: "vsphere-it" });
    client = await VimClient.connect(conn());
    observer = await VimClient.connect(conn());
    vmFolder = (await observer.findByInventoryPath("DC0/vm"))!;
    source = (await observer.findByInventoryPath("DC0/vm/DC0_H0_VM0"))!;
    assert.ok(vmFolder && source, "default vcsim inventory missing");
  });

  after(async () => {
    await sim?.stop();
  });

  describe("connecting", () => {
    it("logs in over TLS trusting the simulator's certificate as ca", async () => {
      const c = await VimClient.connect(conn());
      assert.match(c.serviceContent.about.apiVersion, /^\d+\.\d+/);
      assert.equal(c.serviceContent.rootFolder.type, "Folder");
      assert.equal(c.roundTrips, 2, "RetrieveServiceContent + Login");
      assert.equal((await c.findByInventoryPath("DC0"))?.type, "Datacenter");
      await c.logout();
    });

    it("refuses an untrusted certificate and says how to trust it", async () => {
      const err = await rejection(VimClient.connect(conn({ ca: undefined })));
      assert.match(err.message, /certificate/);
      assert.match(err.message, /`ca`/);
      assert.match(err.message, /insecure/);
      assert.ok(
        err.message.includes(new URL(sim.url).host) && !err.message.includes(sim.url),
        "names the host, not the URL",
      );
    });

    it("connects without verification when insecure is set", async () => {
      const c = await VimClient.connect(conn({ ca: undefined, insecure: true }));
      assert.equal((await c.findByInventoryPath("DC0/vm"))?.value, vmFolder.value);
    });

    it("reports a wrong password as InvalidLogin without revealing it", async () => {
      const password = "Wrong-Secret-42";
      const err = await rejection(VimClient.connect(conn({ password })));
      assert.ok(isFault(err, "InvalidLogin"), inspect(err));
      assert.equal(
        err.message,
        `vCenter ${new URL(sim.url).host}: login failed for user "${sim.username}" (InvalidLogin)`,
      );
      assert.ok(!inspect(err).includes(password));
      assert.ok(!inspect(client).includes(sim.password), "the client object must not expose the password");
    });
  });

  describe("inventory", () => {
    it("finds objects by inventory path and by name, and answers undefined for missing ones", async () => {
      assert.deepEqual(await client.findByInventoryPath("DC0/vm"), vmFolder);
      assert.equal((await props(vmFolder, ["name"])).name, "vm");
      assert.equal(await client.findByInventoryPath("DC0/vm/no-such-vm"), undefined);
      assert.deepEqual(await client.findChild(vmFolder, "DC0_H0_VM0"), source);
      assert.equal(await client.findChild(vmFolder, "no-such-vm"), undefined);
    });

    it("creates a folder, then refuses the same name with DuplicateName", async () => {
      testFolder = await client.createFolder(vmFolder, "vsphere-client-it");
      assert.deepEqual(await observer.findByInventoryPath("DC0/vm/vsphere-client-it"), testFolder);
      const err = await rejection(client.createFolder(vmFolder, "vsphere-client-it"));
      assert.ok(isFault(err, "DuplicateName"), inspect(err));
      assert.equal(err.detail.name, "vsphere-client-it");
      assert.equal(err.method, "CreateFolder");
    });
  });

  describe("virtual machines", () => {
    it("clones a VM into the folder and returns it once the task is done", async () => {
      // numCPUs/memoryMB go on the wire (see the unit tests), but vcsim 0.46 ignores them on clone: hence reconfigVM.
      clone = await client.cloneVM(source, testFolder, "web-1", { numCPUs: 2, memoryMB: 64 });
      assert.equal(clone.type, "VirtualMachine");
      assert.deepEqual(await observer.findChild(testFolder, "web-1"), clone);
      const p = await props(clone, ["name", "parent", "config.template", "runtime.powerState"]);
      assert.deepEqual(p, {
        name: "web-1",
        parent: testFolder,
        "config.template": false,
        "runtime.powerState": "poweredOff",
      });
    });

    it("reconfigures CPU and memory", async () => {
      await client.reconfigVM(clone, { numCPUs: 3, memoryMB: 128 });
      const p = await props(clone, ["config.hardware.numCPU", "config.hardware.memoryMB"]);
      assert.deepEqual(p, { "config.hardware.numCPU": 3, "config.hardware.memoryMB": 128 });
    });

    it("powers on and off, and a repeated power operation fails with InvalidPowerState", async () => {
      const state = async () => (await props(clone, ["runtime.powerState"]))["runtime.powerState"];
      if ((await state()) === "poweredOn") await client.powerOffVM(clone);
      await client.powerOnVM(clone);
      assert.equal(await state(), "poweredOn");
      const again = await rejection(client.powerOnVM(clone));
      assert.ok(again instanceof TaskError && isFault(again, "InvalidPowerState"), inspect(again));
      assert.equal(again.detail.existingState, "poweredOn");

      // The same through the generic path: invoke returns the Task, waitForTask polls it.
      const task = (await client.invoke("PowerOffVM_Task", clone)) as MoRef;
      assert.equal(task.type, "Task");
      await client.waitForTask(task);
      assert.equal(await state(), "poweredOff");
      const offAgain = await rejection(client.powerOffVM(clone));
      assert.ok(isFault(offAgain, "InvalidPowerState"), inspect(offAgain));
    });

    it("marks a powered-off clone as a template, which then cannot power on", async () => {
      const tpl = await client.cloneVM(source, testFolder, "tpl-1", {});
      await client.markAsTemplate(tpl);
      assert.equal((await props(tpl, ["config.template"]))["config.template"], true);
      const err = await rejection(client.powerOnVM(tpl));
      assert.ok(isFault(err, "InvalidState"), inspect(err));
    });

    it("destroys a VM; reading it afterwards fails with ManagedObjectNotFound", async () => {
      await client.destroy(clone);
      assert.equal(await observer.findChild(testFolder, "web-1"), undefined);
      const err = await rejection(props(clone, ["name"]));
      assert.ok(isFault(err, "ManagedObjectNotFound"), inspect(err));
      assert.deepEqual(err.detail.obj, clone);
    });
  });

  describe("property collector", () => {
    let pagingFolder: MoRef;
    const names = ["page-a", "page-b", "page-c"];

    before(async () => {
      pagingFolder = await client.createFolder(vmFolder, "vsphere-client-paging");
      await Promise.all(names.map((n) => client.cloneVM(source, pagingFolder, n, {})));
    });

    it("pages with maxObjects and still returns every object", async () => {
      const spec = folderTreeSpec(pagingFolder, "VirtualMachine", ["name"]);
      const before = client.roundTrips;
      const paged = await client.retrieveProperties(spec, { maxObjects: 1 });
      assert.deepEqual(paged.map((o) => o.props.name).sort(), names);
      assert.equal(client.roundTrips - before, 3, "RetrievePropertiesEx + 2 × ContinueRetrievePropertiesEx");

      const mid = client.roundTrips;
      const whole = await client.retrieveProperties(spec);
      assert.equal(whole.length, 3);
      assert.equal(client.roundTrips - mid, 1);
    });

    it("reads through a container view, which is gone after destroyView", async () => {
      const view = await client.createContainerView(client.serviceContent.rootFolder, ["VirtualMachine"], true);
      const all = (await client.retrieveProperties(containerViewSpec(view, "VirtualMachine", ["name"]))).map(
        (o) => o.props.name,
      );
      for (const n of [...names, "DC0_H0_VM0", "tpl-1"]) assert.ok(all.includes(n), `${n} not in ${all}`);
      assert.ok(!all.includes("web-1"), "the destroyed VM must not be listed");
      await client.destroyView(view);
      const err = await rejection(client.retrieveProperties(containerViewSpec(view, "VirtualMachine", ["name"])));
      assert.ok(isFault(err, "ManagedObjectNotFound"), inspect(err));
    });

    it("destroys the VMs and then the empty folder", async () => {
      const vms = (await client.retrieveProperties(folderTreeSpec(pagingFolder, "VirtualMachine", ["name"]))).map(
        (o) => o.obj,
      );
      await Promise.all(vms.map((vm) => client.destroy(vm)));
      await client.destroy(pagingFolder);
      assert.equal(await observer.findByInventoryPath("DC0/vm/vsphere-client-paging"), undefined);
      for (const vm of vms) assert.ok(isFault(await rejection(props(vm, ["name"])), "ManagedObjectNotFound"));
    });
  });

  describe("session", () => {
    it("logs in again once when the session is gone (SOAP NotAuthenticated fault)", async () => {
      await client.logout();
      const before = client.roundTrips;
      const folder = await client.createFolder(vmFolder, "after-relogin");
      assert.equal(client.roundTrips - before, 3, "failed CreateFolder + Login + CreateFolder");
      assert.deepEqual(await observer.findByInventoryPath("DC0/vm/after-relogin"), folder);
    });

    it("logs in again when property reads come back NotAuthenticated instead of failing", async () => {
      await client.logout();
      const before = client.roundTrips;
      const [vm] = await client.retrieveProperties({
        propSet: [{ type: "VirtualMachine", pathSet: ["name"] }],
        objectSet: [{ obj: source }],
      });
      assert.deepEqual(vm.props, { name: "DC0_H0_VM0" });
      assert.equal(vm.missing, undefined);
      assert.equal(client.roundTrips - before, 3, "RetrievePropertiesEx + Login + RetrievePropertiesEx");
    });

    it("shares one re-login between concurrent calls", async () => {
      await client.logout();
      const before = client.roundTrips;
      const found = await Promise.all([1, 2, 3].map(() => client.findByInventoryPath("DC0/vm/DC0_H0_VM0")));
      assert.deepEqual(found, [source, source, source]);
      assert.equal(client.roundTrips - before, 7, "3 failed calls + 1 Login + 3 retries");
    });
  });
});
