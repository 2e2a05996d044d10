// examples/vmgroup under the real pulumi CLI against a real vcsim; vcsim's inventory is checked with govc.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { govc, inventory, vmsInFolder } from "../helpers/govc";
import { PulumiProject } from "../helpers/pulumi";

describe("engine: VmGroup (pulumi CLI + vcsim)", function () {
  this.timeout(10 * 60_000);
  let sim: Vcsim;
  let project: PulumiProject;
  let pristine: string[];

  const configure = async (p: PulumiProject, extra: Record<string, string | number> = {}) => {
    const caFile = path.join(p.root, "vcsim-ca.pem");
    fs.writeFileSync(caFile, sim.ca!);
    await p.config({
      "vmware:vcenterUrl": sim.url,
      "vmware:vcenterUser": sim.username,
      "vmware:vcenterCaFile": caFile,
    });
    await p.config({ "vmware:vcenterPassword": sim.password }, { secret: true });
    await p.config({ replicas: 3, cpu: 1, memoryMB: 256, ...extra });
  };

  before(async () => {
    sim = await startVcsim();
    pristine = await inventory(sim);
    project = await PulumiProject.create("vmgroup");
    await configure(project);
  });

  after(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  it("preview --diff shows the group to create and touches nothing", async () => {
    const { stdout } = await project.preview();
    assert.match(stdout, /\+ pulumi-nodejs:dynamic\/vmware:VmGroup: \(create\)/);
    assert.match(stdout, /replicas\s*: 3/);
    assert.match(stdout, /\+ 2 to create/);
    assert.deepEqual(await inventory(sim), pristine);
  });

  it("up clones the VMs, sized and powered on, into the group's folder", async () => {
    await project.up();
    const vms = await vmsInFolder(sim, "/DC0/vm/web");
    assert.deepEqual(
      vms,
      [0, 1, 2].map((i) => ({ name: `web-${i}`, cpu: 1, memoryMB: 256, powerState: "poweredOn" })),
    );
    const out = await project.outputs();
    assert.equal(out.phase, "READY");
    assert.equal(out.currentReplicas, 3);
    assert.deepEqual(
      out.vms.map((v: { name: string }) => v.name),
      ["web-0", "web-1", "web-2"],
    );
    assert.ok(out.vms.every((v: { instanceUuid: string; moref: string }) => v.instanceUuid && v.moref));
    // Ownership is recorded on each VM: the resource's URN (project, stack, resource) in its extraConfig.
    const info = await govc(sim, ["vm.info", "-e", "/DC0/vm/web/web-2"]);
    assert.match(
      info,
      /pulumi-vmware-kit\.owner:\s*urn:pulumi:test::vmgroup-example::pulumi-nodejs:dynamic\/vmware:VmGroup::web/,
    );
  });

  it("scales 3 → 5 → 2 and changes cpu as updates in place, removing the highest indexes", async () => {
    const { folderId } = await project.outputs();
    await project.config({ replicas: 5 });
    const plan = await project.preview();
    assert.match(plan.stdout, /~ pulumi-nodejs:dynamic\/vmware:VmGroup: \(update\)/);
    assert.match(plan.stdout, /replicas\s*: 3 => 5/);
    assert.doesNotMatch(plan.stdout, /replace/);
    await project.up();
    assert.equal((await vmsInFolder(sim, "/DC0/vm/web")).length, 5);

    await project.config({ replicas: 2, cpu: 2 });
    await project.up();
    const vms = await vmsInFolder(sim, "/DC0/vm/web");
    assert.deepEqual(
      vms,
      [0, 1].map((i) => ({ name: `web-${i}`, cpu: 2, memoryMB: 256, powerState: "poweredOn" })),
    );
    const out = await project.outputs();
    assert.equal(out.folderId, folderId, "the group kept its folder: updated, not replaced");
    assert.equal(out.phase, "READY");
  });

  it("refresh reports a VM deleted and, per VM, one changed out of band; up heals both", async () => {
    await govc(sim, ["vm.destroy", "/DC0/vm/web/web-1"]);
    await govc(sim, ["vm.power", "-off", "/DC0/vm/web/web-0"]);
    await govc(sim, ["vm.change", "-vm", "/DC0/vm/web/web-0", "-c", "3"]);

    const refresh = await project.refresh();
    assert.match(refresh.stdout, /replicas\s*: 2 => 1/);
    // web-0's drift is shown as web-0's, not as the whole group's cpu or power state.
    assert.match(refresh.stdout, /web-0\s*: \{[^}]*cpu\s*: 3/s);
    assert.match(refresh.stdout, /powerState\s*: "poweredOff"/);
    // The group's own cpu and powerState (top-level properties) are unchanged; only web-0's entries differ.
    assert.doesNotMatch(refresh.stdout, /^ {6}~ (cpu|powerState)\s*:/m);
    const state = await project.resourceOutputs("VmGroup");
    assert.deepEqual([state.cpu, state.powerState], [2, "on"]);
    assert.equal(state.phase, "PENDING");
    assert.deepEqual(state.drift.vms, { "web-0": { cpu: 3, powerState: "poweredOff" }, "web-1": { deleted: true } });
    assert.match(
      state.lastMessage,
      /web-0: cpu 3 \(declared 2\), powerState poweredOff \(declared on\); web-1: deleted outside Pulumi/,
    );

    const plan = await project.preview();
    assert.match(plan.stdout, /replicas\s*: 1 => 2/);
    assert.match(plan.stdout, /- drift\s*: \{/, "preview shows the drift up removes");

    await project.up();
    const vms = await vmsInFolder(sim, "/DC0/vm/web");
    assert.deepEqual(
      vms,
      [0, 1].map((i) => ({ name: `web-${i}`, cpu: 2, memoryMB: 256, powerState: "poweredOn" })),
    );
    assert.equal((await project.outputs()).phase, "READY");
  });

  it("rejects bad input at preview with the property named, and touches nothing", async () => {
    const snapshot = await inventory(sim);
    await project.config({ replicas: -1, memoryMB: 1022 });
    const { code, stdout, stderr } = await project.run(["preview", "--diff"], { allowFailure: true });
    assert.notEqual(code, 0);
    const text = stdout + stderr;
    assert.match(text, /resource 'web' has a problem: replicas: must be 0 or more \(got -1\)/);
    assert.match(text, /resource 'web' has a problem: memoryMB: must be a multiple of 4 MB.* \(got 1022\)/);
    assert.deepEqual(await inventory(sim), snapshot);
    await project.config({ replicas: 2, memoryMB: 256 });
  });

  it("rejects at preview a folder that makes VM names longer than vCenter allows, and a .. segment", async () => {
    const snapshot = await inventory(sim);
    await project.config({ folder: `apps/${"w".repeat(77)}`, replicas: 11 });
    const long = await project.run(["preview", "--diff"], { allowFailure: true });
    assert.notEqual(long.code, 0);
    assert.match(
      long.stdout + long.stderr,
      /resource 'web' has a problem: folder: makes VM names too long: "w{77}-10" has 80 characters, vCenter allows less than 80/,
    );
    await project.config({ folder: "apps/../web", replicas: 2 });
    const dots = await project.run(["preview", "--diff"], { allowFailure: true });
    assert.match(
      dots.stdout + dots.stderr,
      /resource 'web' has a problem: folder: must not have a "\.\." segment.*\(got "apps\/\.\.\/web"\)/,
    );
    assert.deepEqual(await inventory(sim), snapshot);
    await project.run(["config", "rm", "folder"]);
  });

  it("says that a template change replaces the group, naming the property", async () => {
    await project.config({ template: "DC0_H0_VM1" });
    const { stdout } = await project.preview();
    assert.match(stdout, /\+-.*VmGroup: \(replace\)/);
    assert.match(stdout, /~ template\s*: "DC0_H0_VM0" => "DC0_H0_VM1"/);
    const summary = await project.run(["preview"]);
    assert.match(summary.stdout, /VmGroup\s+web\s+replace\s+\[diff: ~template\]/);
    await project.run(["config", "rm", "template"]);
  });

  it("keeps the password out of the state file and the serialized provider small", async () => {
    const state = await project.stateText();
    assert.ok(!state.includes(sim.password), "password in `pulumi stack export`");
    assert.ok(!project.backendFilesText().includes(sim.password), "password in the backend files");
    const group = project.resources(JSON.parse(state)).find((r) => r.type.endsWith("VmGroup"));
    assert.equal(
      group.outputs.connection.ciphertext !== undefined ||
        group.outputs.connection["4dabf18193072939515e22adb298388d"] !== undefined,
      true,
    );
    const providerSize = group.inputs.__provider.length;
    console.log(`      serialized __provider: ${providerSize} bytes`);
    assert.ok(providerSize < 4096, `__provider is ${providerSize} bytes`);
  });

  it("destroy leaves vcsim's inventory as it found it", async () => {
    await project.destroy();
    assert.deepEqual(await inventory(sim), pristine);
  });

  it("the issue's case: a hand-made folder web with web-0 and web-7 is refused; adopt takes over web-0 only; destroy keeps the rest", async () => {
    const p = await PulumiProject.create("vmgroup", "handmade");
    try {
      await configure(p, { replicas: 1, cpu: 1, memoryMB: 32 });
      await govc(sim, ["folder.create", "/DC0/vm/web"]);
      for (const vm of ["web-0", "web-7"]) {
        await govc(sim, [
          "vm.clone",
          "-vm",
          "/DC0/vm/DC0_H0_VM1",
          "-pool",
          "/DC0/host/DC0_H0/Resources",
          "-folder",
          "/DC0/vm/web",
          "-on=true",
          vm,
        ]);
      }
      const handMade = await inventory(sim);

      const refused = await p.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.notEqual(refused.code, 0);
      assert.match(
        refused.stdout + refused.stderr,
        /folder DC0\/vm\/web already exists and was not created by this group .*it holds "web-0", "web-7"\. Set adopt: true/,
      );
      assert.deepEqual(await inventory(sim), handMade);
      assert.equal(
        p.resources(JSON.parse(await p.stateText())).filter((r) => r.type.endsWith("VmGroup")).length,
        0,
        "nothing recorded",
      );

      // With adopt, preview shows every change before anything happens: here none to web-0, nothing to web-7.
      await p.config({ adopt: "true", cpu: 2 });
      const plan = await p.preview();
      assert.match(plan.stdout, /plannedAdoption\s*: \[/);
      assert.match(plan.stdout, /"folder DC0\/vm\/web: exists; use it as is \(the group never removes it\)"/);
      assert.match(
        plan.stdout,
        /"web-0 \(vm-\d+\): adopt \(mark as this group's\); cpu 1 => 2 \(guest shutdown, reconfigure, power on\)"/,
      );
      assert.match(plan.stdout, /"keep as is \(not declared, never touched\): web-7"/);
      assert.deepEqual(await inventory(sim), handMade, "preview changed nothing");

      await p.up();
      assert.deepEqual(
        (await vmsInFolder(sim, "/DC0/vm/web")).map((v) => [v.name, v.cpu, v.powerState]),
        [
          ["web-0", 2, "poweredOn"],
          ["web-7", 1, "poweredOn"],
        ],
      );
      assert.doesNotMatch(
        await govc(sim, ["vm.info", "-e", "/DC0/vm/web/web-7"]),
        /pulumi-vmware-kit\.owner/,
        "web-7 is not marked",
      );

      await p.destroy();
      // web-0 was adopted (the group's now) and goes; web-7 and the folder, never the group's, stay as they were.
      assert.deepEqual(
        (await vmsInFolder(sim, "/DC0/vm/web")).map((v) => [v.name, v.cpu, v.powerState]),
        [["web-7", 1, "poweredOn"]],
      );
      assert.deepEqual(
        await inventory(sim),
        handMade.filter((x) => x !== "/DC0/vm/web/web-0"),
      );
      await govc(sim, ["vm.destroy", "/DC0/vm/web/web-7"]);
      await govc(sim, ["object.destroy", "/DC0/vm/web"]);
      assert.deepEqual(await inventory(sim), pristine);
    } finally {
      p.cleanup();
    }
  });

  it("two stacks naming the same folder: the second is refused, even with adopt, and never touches the first's VMs", async () => {
    const a = await PulumiProject.create("vmgroup", "alpha");
    const b = await PulumiProject.create("vmgroup", "beta");
    try {
      await configure(a, { folder: "duo", replicas: 1 });
      await configure(b, { folder: "duo", replicas: 2 });
      await a.up();
      const before = await vmsInFolder(sim, "/DC0/vm/duo");
      const refused = await b.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.match(
        refused.stdout + refused.stderr,
        /folder DC0\/vm\/duo already exists .*its marker names urn:pulumi:alpha::vmgroup-example::/,
      );
      await b.config({ adopt: "true" });
      const adopt = await b.run(["preview", "--diff"], { allowFailure: true });
      assert.notEqual(adopt.code, 0);
      assert.match(
        adopt.stdout + adopt.stderr,
        /resource 'web' has a problem: adopt: VM "duo-0" in DC0\/vm\/duo belongs to another group \(its marker names urn:pulumi:alpha::/,
      );
      await b.destroy();
      assert.deepEqual(await vmsInFolder(sim, "/DC0/vm/duo"), before);
      await a.destroy();
      assert.deepEqual(await inventory(sim), pristine);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it("a clone that fails half way is recorded, finished by the next up, and destroy leaves every foreign object", async () => {
    const p = await PulumiProject.create("vmgroup", "partial");
    try {
      await configure(p, { folder: "batch", replicas: 4, adopt: "true" });
      // A hand-made folder, holding a folder named like the third VM: vCenter refuses that clone (names are unique
      // within a folder). The group adopts the folder, so it is never removed by it.
      await govc(sim, ["folder.create", "/DC0/vm/batch"]);
      await govc(sim, ["folder.create", "/DC0/vm/batch/batch-2"]);
      await govc(sim, ["folder.create", "/DC0/vm/batch/batch-2/notes"]);
      const foreign = await inventory(sim);

      const failed = await p.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.notEqual(failed.code, 0);
      assert.match(failed.stdout + failed.stderr, /create batch-2/);
      assert.ok(!(failed.stdout + failed.stderr).includes(sim.password));
      const partial = p.resources(JSON.parse(await p.stateText())).find((r) => r.type.endsWith("VmGroup"));
      assert.ok(partial, "the partly created group is in the state");
      assert.deepEqual(
        partial.outputs.vms.map((v: { name: string }) => v.name),
        ["batch-0", "batch-1", "batch-3"],
      );

      await govc(sim, ["object.destroy", "/DC0/vm/batch/batch-2"]);
      await p.up();
      assert.deepEqual(
        (await vmsInFolder(sim, "/DC0/vm/batch")).map((v) => v.name),
        ["batch-0", "batch-1", "batch-2", "batch-3"],
      );

      await govc(sim, ["folder.create", "/DC0/vm/batch/keep"]);
      await p.destroy();
      // Every object the group did not create is still there: the adopted folder and the sub-folder made later.
      assert.deepEqual(
        await inventory(sim),
        [...foreign.filter((x) => !x.startsWith("/DC0/vm/batch/batch-2")), "/DC0/vm/batch/keep"].sort(),
      );
      await govc(sim, ["object.destroy", "/DC0/vm/batch/keep"]);
      await govc(sim, ["object.destroy", "/DC0/vm/batch"]);
      assert.deepEqual(await inventory(sim), pristine);
    } finally {
      p.cleanup();
    }
  });
});
