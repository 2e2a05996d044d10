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
    await p.config({ "vmware:vcenterUrl": sim.url, "vmware:vcenterUser": sim.username, "vmware:vcenterCaFile": caFile });
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
    assert.deepEqual(vms, [0, 1, 2].map((i) => ({ name: `web-${i}`, cpu: 1, memoryMB: 256, powerState: "poweredOn" })));
    const out = await project.outputs();
    assert.equal(out.phase, "READY");
    assert.equal(out.currentReplicas, 3);
    assert.deepEqual(out.vms.map((v: { name: string }) => v.name), ["web-0", "web-1", "web-2"]);
    assert.ok(out.vms.every((v: { instanceUuid: string; moref: string }) => v.instanceUuid && v.moref));
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
    assert.deepEqual(vms, [0, 1].map((i) => ({ name: `web-${i}`, cpu: 2, memoryMB: 256, powerState: "poweredOn" })));
    const out = await project.outputs();
    assert.equal(out.folderId, folderId, "the group kept its folder: updated, not replaced");
    assert.equal(out.phase, "READY");
  });

  it("refresh reports a VM deleted and a VM changed out of band, and up heals both", async () => {
    await govc(sim, ["vm.destroy", "/DC0/vm/web/web-1"]);
    await govc(sim, ["vm.power", "-off", "/DC0/vm/web/web-0"]);
    await govc(sim, ["vm.change", "-vm", "/DC0/vm/web/web-0", "-c", "3"]);

    const refresh = await project.refresh();
    assert.match(refresh.stdout, /replicas\s*: 2 => 1/);
    assert.match(refresh.stdout, /cpu\s*: 2 => 3/);
    assert.match(refresh.stdout, /powerState\s*: "on" => "off"/);
    assert.equal((await project.resourceOutputs("VmGroup")).phase, "PENDING");

    const plan = await project.preview();
    assert.match(plan.stdout, /replicas\s*: 1 => 2/);
    assert.match(plan.stdout, /cpu\s*: 3 => 2/);

    await project.up();
    const vms = await vmsInFolder(sim, "/DC0/vm/web");
    assert.deepEqual(vms, [0, 1].map((i) => ({ name: `web-${i}`, cpu: 2, memoryMB: 256, powerState: "poweredOn" })));
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
    assert.equal(group.outputs.connection.ciphertext !== undefined || group.outputs.connection["4dabf18193072939515e22adb298388d"] !== undefined, true);
    const providerSize = group.inputs.__provider.length;
    console.log(`      serialized __provider: ${providerSize} bytes`);
    assert.ok(providerSize < 4096, `__provider is ${providerSize} bytes`);
  });

  it("destroy leaves vcsim's inventory as it found it", async () => {
    await project.destroy();
    assert.deepEqual(await inventory(sim), pristine);
  });

  it("a clone that fails half way is recorded, finished by the next up, and removed by destroy", async () => {
    const p = await PulumiProject.create("vmgroup", "partial");
    try {
      await configure(p, { folder: "batch", replicas: 4 });
      // A folder named like the third VM makes vCenter refuse that clone (names are unique within a folder).
      await govc(sim, ["folder.create", "/DC0/vm/batch"]);
      await govc(sim, ["folder.create", "/DC0/vm/batch/batch-2"]);

      const failed = await p.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      assert.notEqual(failed.code, 0);
      assert.match(failed.stdout + failed.stderr, /create batch-2/);
      assert.ok(!(failed.stdout + failed.stderr).includes(sim.password));
      const partial = p.resources(JSON.parse(await p.stateText())).find((r) => r.type.endsWith("VmGroup"));
      assert.ok(partial, "the partly created group is in the state");
      assert.deepEqual(partial.outputs.vms.map((v: { name: string }) => v.name), ["batch-0", "batch-1", "batch-3"]);

      await govc(sim, ["object.destroy", "/DC0/vm/batch/batch-2"]);
      await p.up();
      assert.deepEqual((await vmsInFolder(sim, "/DC0/vm/batch")).map((v) => v.name), ["batch-0", "batch-1", "batch-2", "batch-3"]);

      await p.destroy();
      assert.deepEqual(await inventory(sim), pristine);
    } finally {
      p.cleanup();
    }
  });
});
