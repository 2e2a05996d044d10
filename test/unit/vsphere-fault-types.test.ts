// Fault matching knows vim25's fault hierarchy and looks through wrapped errors: a caller that handles InvalidState
// also handles InvalidPowerState, and context added by a wrapper never hides the fault that decides.
import { strict as assert } from "assert";
import { asFault, faultAncestry, isFault, TaskError, VimFault } from "../../sdk/vsphere/errors";

const fault = (type: string) => new VimFault(type, `${type} happened`, {}, "PowerOnVM_Task");

describe("vsphere faults: subtypes and causes", () => {
  it("matches a fault by its own type and by every type it extends", () => {
    const e = fault("InvalidPowerState");
    for (const t of ["InvalidPowerState", "InvalidState", "VimFault", "MethodFault"]) assert.ok(isFault(e, t), t);
    assert.ok(!isFault(e, "RuntimeFault"));
    assert.ok(!isFault(e, "TaskInProgress"));
  });

  it("does not match a parent's sibling or a subtype of the asked type", () => {
    assert.ok(!isFault(fault("InvalidState"), "InvalidPowerState"));
    assert.ok(!isFault(fault("DuplicateName"), "InvalidName"));
    assert.ok(isFault(fault("NotAuthenticated"), "NoPermission"));
    assert.ok(isFault(fault("NotAuthenticated"), "SecurityError"));
  });

  it("finds the fault through wrapping errors' causes", () => {
    const inner = new TaskError("DuplicateName", "name taken", { name: "web-0" }, "CloneVM_Task", {
      type: "Task",
      value: "task-9",
    });
    const wrapped = new Error("VmGroup web: clone failed", { cause: new Error("step 3", { cause: inner }) });
    assert.equal(asFault(wrapped, "DuplicateName"), inner);
    assert.ok(isFault(wrapped, "VimFault"));
    assert.ok(!isFault(new Error("plain"), "MethodFault"));
  });

  it("treats a type it has no entry for as a MethodFault", () => {
    assert.deepEqual(faultAncestry("SomeNewFault"), ["SomeNewFault", "MethodFault"]);
    assert.deepEqual(faultAncestry("PasswordExpired"), ["PasswordExpired", "InvalidLogin", "VimFault", "MethodFault"]);
  });
});
