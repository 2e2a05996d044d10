// The vSphere client's XML mapping, without a server: faults, property values, task errors and request bodies.
// Response samples are what vcsim 0.46 answers (including its XMLSchema-instance:type spelling).
import { strict as assert } from "assert";
import { parseXml, children } from "../../sdk/xml";
import {
  TaskError,
  VimFault,
  cloneVmXml,
  decodeObjectContent,
  decodeValue,
  folderTreeSpec,
  isFault,
  methodXml,
  parseResponse,
  propertyFilterSpecXml,
} from "../../sdk/vsphere";
import { taskError } from "../../sdk/vsphere/errors";
import { retrievePropertiesExXml } from "../../sdk/vsphere/methods";

const XSI = 'xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"';

function soap(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

function fault(faultstring: string, detail: string): string {
  return soap(
    `<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${faultstring}</faultstring><detail>${detail}</detail></soapenv:Fault>`,
  );
}

function faultOf(xml: string, method: string): VimFault {
  try {
    parseResponse(xml, method, "vCenter https://vc/sdk", 500);
  } catch (err) {
    assert.ok(err instanceof VimFault, `expected a VimFault, got ${err}`);
    return err;
  }
  assert.fail("no fault thrown");
}

/** Opening-tag positions of `names` inside `xml`, asserting each occurs and they come in this order. */
function assertOrder(xml: string, names: string[]): void {
  const positions = names.map((n) => {
    const i = xml.search(new RegExp(`<${n}[ >/]`));
    assert.ok(i >= 0, `<${n}> missing from ${xml}`);
    return i;
  });
  assert.deepEqual(
    [...positions].sort((a, b) => a - b),
    positions,
    `expected order ${names.join(", ")} in ${xml}`,
  );
}

describe("vsphere XML: SOAP faults", () => {
  it("names an InvalidLogin fault and keeps the faultstring", () => {
    const f = faultOf(
      fault("Login failure", '<InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault>'),
      "Login",
    );
    assert.equal(f.fault, "InvalidLogin");
    assert.equal(f.method, "Login");
    assert.match(f.message, /Login failure/);
    assert.ok(isFault(f, "InvalidLogin"));
    assert.ok(!isFault(f, "NotAuthenticated"));
  });

  it("decodes ManagedObjectNotFound.obj as a MoRef", () => {
    const f = faultOf(
      fault(
        "The object has already been deleted or has not been completely created",
        '<ManagedObjectNotFoundFault xmlns="urn:vim25" xsi:type="ManagedObjectNotFound"><obj type="VirtualMachine">vm-999</obj></ManagedObjectNotFoundFault>',
      ),
      "RetrievePropertiesEx",
    );
    assert.equal(f.fault, "ManagedObjectNotFound");
    assert.deepEqual(f.detail, { obj: { type: "VirtualMachine", value: "vm-999" } });
    assert.match(f.message, /already been deleted.*vm-999/);
  });

  it("decodes DuplicateName fields and says which name clashed even with an empty faultstring", () => {
    const f = faultOf(
      fault(
        "",
        '<DuplicateNameFault xmlns="urn:vim25" xsi:type="DuplicateName"><name>web</name><object type="Folder">group-v7</object></DuplicateNameFault>',
      ),
      "CreateFolder",
    );
    assert.equal(f.fault, "DuplicateName");
    assert.deepEqual(f.detail, { name: "web", object: { type: "Folder", value: "group-v7" } });
    assert.match(f.message, /^CreateFolder failed: DuplicateName \[name=web object=Folder:group-v7\]$/);
  });

  it("reads vcsim's XMLSchema-instance:type spelling and falls back to the element name", () => {
    const spelled = faultOf(
      fault(
        "",
        `<NotAuthenticatedFault xmlns="urn:vim25" ${XSI} XMLSchema-instance:type="NotAuthenticated"><object type="Folder">group-d1</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault>`,
      ),
      "CreateFolder",
    );
    assert.equal(spelled.fault, "NotAuthenticated");
    assert.equal(spelled.detail.privilegeId, "System.View");

    const untyped = faultOf(
      fault("cannot powerOn a template", '<InvalidStateFault xmlns="urn:vim25"></InvalidStateFault>'),
      "PowerOnVM_Task",
    );
    assert.equal(untyped.fault, "InvalidState");
  });

  it("reports a non-SOAP answer with the status instead of crashing", () => {
    assert.throws(
      () => parseResponse("<html>Bad gateway</html>", "Login", "vCenter https://vc/sdk", 502),
      /vCenter https:\/\/vc\/sdk: Login answered HTTP 502/,
    );
  });

  it("says a 503 page means vCenter is unavailable, without quoting the page", () => {
    const page =
      "<html><head><title>503 Service Unavailable</title></head><body><p>Failed to connect to endpoint: vpxd<br></body></html>";
    assert.throws(
      () => parseResponse(page, "RetrieveServiceContent", "vCenter https://vc/sdk", 503),
      (err: Error) =>
        /HTTP 503 .*unavailable or still starting/.test(err.message) &&
        !/html|endpoint: vpxd|\/sdk endpoint/.test(err.message),
    );
  });
});

describe("vsphere XML: property values", () => {
  // A real vcsim RetrievePropertiesEx object, trimmed.
  const objectsXml = soap(
    `<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><token>t-1</token><objects><obj type="VirtualMachine">vm-63</obj>` +
      `<propSet><name>name</name><val ${XSI} XMLSchema-instance:type="xsd:string">DC0_H0_VM0</val></propSet>` +
      `<propSet><name>runtime.powerState</name><val ${XSI} XMLSchema-instance:type="VirtualMachinePowerState">poweredOn</val></propSet>` +
      `<propSet><name>config.hardware.numCPU</name><val ${XSI} XMLSchema-instance:type="xsd:int">4</val></propSet>` +
      `<propSet><name>summary.storage.committed</name><val ${XSI} XMLSchema-instance:type="xsd:long">10737418240</val></propSet>` +
      `<propSet><name>config.template</name><val ${XSI} XMLSchema-instance:type="xsd:boolean">false</val></propSet>` +
      `<propSet><name>parent</name><val ${XSI} XMLSchema-instance:type="ManagedObjectReference" type="Folder">group-3</val></propSet>` +
      `<propSet><name>datastore</name><val ${XSI} XMLSchema-instance:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Datastore">datastore-60</ManagedObjectReference></val></propSet>` +
      `<propSet><name>network</name><val ${XSI} XMLSchema-instance:type="ArrayOfManagedObjectReference"></val></propSet>` +
      `<propSet><name>tags</name><val ${XSI} XMLSchema-instance:type="ArrayOfString"><string>a</string><string>b&amp;c</string></val></propSet>` +
      `<propSet><name>config.files</name><val ${XSI} XMLSchema-instance:type="VirtualMachineFileInfo"><vmPathName>[LocalDS_0] x/x.vmx</vmPathName></val></propSet>` +
      `<propSet><name>config.extraConfig</name><val ${XSI} XMLSchema-instance:type="ArrayOfOptionValue"><OptionValue XMLSchema-instance:type="OptionValue"><key>govcsim</key><value XMLSchema-instance:type="xsd:string">TRUE</value></OptionValue></val></propSet>` +
      `<missingSet><path>bogus.x</path><fault><fault ${XSI} XMLSchema-instance:type="InvalidProperty"><name>bogus.x</name></fault></fault></missingSet>` +
      `</objects></returnval></RetrievePropertiesExResponse>`,
  );

  it("decodes each value by its xsi:type", () => {
    const res = parseResponse(objectsXml, "RetrievePropertiesEx", "vc", 200);
    const [obj] = children(children(res, "returnval")[0], "objects").map(decodeObjectContent);
    assert.deepEqual(obj.obj, { type: "VirtualMachine", value: "vm-63" });
    assert.deepEqual(obj.props, {
      name: "DC0_H0_VM0",
      "runtime.powerState": "poweredOn",
      "config.hardware.numCPU": 4,
      "summary.storage.committed": 10737418240,
      "config.template": false,
      parent: { type: "Folder", value: "group-3" },
      datastore: [{ type: "Datastore", value: "datastore-60" }],
      network: [],
      tags: ["a", "b&c"],
      "config.files": { _type: "VirtualMachineFileInfo", vmPathName: "[LocalDS_0] x/x.vmx" },
      "config.extraConfig": [{ _type: "OptionValue", key: "govcsim", value: "TRUE" }],
    });
    assert.deepEqual(obj.missing, [{ path: "bogus.x", fault: "InvalidProperty" }]);
  });

  it("decodes true booleans and several MoRefs in one array", () => {
    const doc = parseXml(
      `<objects><obj type="Folder">f</obj><propSet><name>t</name><val ${XSI} XMLSchema-instance:type="xsd:boolean">true</val></propSet>` +
        `<propSet><name>childEntity</name><val ${XSI} XMLSchema-instance:type="ArrayOfManagedObjectReference">` +
        `<ManagedObjectReference type="VirtualMachine">vm-1</ManagedObjectReference><ManagedObjectReference type="Folder">group-9</ManagedObjectReference></val></propSet></objects>`,
      ["propSet", "ManagedObjectReference"],
    );
    const obj = decodeObjectContent(children(doc, "objects")[0]);
    assert.equal(obj.props.t, true);
    assert.deepEqual(obj.props.childEntity, [
      { type: "VirtualMachine", value: "vm-1" },
      { type: "Folder", value: "group-9" },
    ]);
    assert.equal(obj.missing, undefined);
  });
});

describe("vsphere XML: task errors", () => {
  it("turns info.error into a TaskError named by the fault's xsi:type", () => {
    const res = parseResponse(
      soap(
        `<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="Task">task-74</obj>` +
          `<propSet><name>info.state</name><val ${XSI} XMLSchema-instance:type="TaskInfoState">error</val></propSet>` +
          `<propSet><name>info.error</name><val ${XSI} XMLSchema-instance:type="LocalizedMethodFault"><fault XMLSchema-instance:type="InvalidPowerState">` +
          `<requestedState>poweredOn</requestedState><existingState>poweredOn</existingState></fault><localizedMessage>*types.InvalidPowerState</localizedMessage></val></propSet>` +
          `</objects></returnval></RetrievePropertiesExResponse>`,
      ),
      "RetrievePropertiesEx",
      "vc",
      200,
    );
    const [info] = children(children(res, "returnval")[0], "objects").map(decodeObjectContent);
    const err = taskError("PowerOnVM_Task", info.obj, info.props["info.error"]);
    assert.ok(err instanceof TaskError && err instanceof VimFault);
    assert.ok(isFault(err, "InvalidPowerState"));
    assert.equal(err.method, "PowerOnVM_Task");
    assert.deepEqual(err.task, { type: "Task", value: "task-74" });
    assert.deepEqual(err.detail, { requestedState: "poweredOn", existingState: "poweredOn" });
    assert.match(
      err.message,
      /PowerOnVM_Task failed: InvalidPowerState: \*types\.InvalidPowerState \[requestedState=poweredOn existingState=poweredOn\]/,
    );
  });

  it("keeps the type of a fault without fields", () => {
    const doc = parseXml(
      `<val ${XSI} XMLSchema-instance:type="LocalizedMethodFault"><fault XMLSchema-instance:type="NotSupported"></fault><localizedMessage>not supported</localizedMessage></val>`,
    );
    const err = taskError("MarkAsTemplate", { type: "Task", value: "t" }, decodeValue(children(doc, "val")[0]));
    assert.equal(err.fault, "NotSupported");
  });
});

describe("vsphere XML: request bodies", () => {
  const vm = { type: "VirtualMachine", value: "vm-<63>&" };
  const full = cloneVmXml(vm, { type: "Folder", value: "group-v1" }, "web-1", {
    datastore: { type: "Datastore", value: "/tmp/govcsim-DC0-LocalDS_0-1@folder-5" },
    pool: { type: "ResourcePool", value: "resgroup-26" },
    host: { type: "HostSystem", value: "host-42" },
    template: false,
    numCPUs: 2,
    memoryMB: 2048,
    powerOn: true,
  });

  it("keeps the XSD order of CloneSpec, RelocateSpec and ConfigSpec", () => {
    assertOrder(full, ["CloneVM_Task", "_this", "folder", "name", "spec"]);
    assertOrder(full, ["location", "template", "config", "powerOn"]);
    assertOrder(full, ["datastore", "pool", "host"]);
    assertOrder(full, ["numCPUs", "memoryMB"]);
    assert.match(full, /<powerOn>true<\/powerOn>/);
  });

  it("escapes moref values and names, and still parses back", () => {
    assert.match(full, /<_this type="VirtualMachine">vm-&lt;63&gt;&amp;<\/_this>/);
    const weird = cloneVmXml(vm, { type: "Folder", value: 'a"b' }, "x</name><evil>", {});
    assert.ok(!weird.includes("<evil>"));
    const parsed = parseXml(weird);
    const call = children(parsed, "CloneVM_Task")[0];
    assert.equal(children(call, "name")[0]._text, "x</name><evil>");
    assert.equal(children(call, "folder")[0]._text, 'a"b');
  });

  it("always sends the required CloneSpec fields and leaves config out when nothing changes", () => {
    const minimal = cloneVmXml(vm, { type: "Folder", value: "f" }, "n", {});
    assert.match(minimal, /<spec><location\/><template>false<\/template><powerOn>false<\/powerOn><\/spec>/);
  });

  it("marks inline traversal specs with xsi:type and references others by name", () => {
    const xml = propertyFilterSpecXml(
      folderTreeSpec({ type: "Folder", value: "group-3" }, "VirtualMachine", ["name", "config.hardware.numCPU"]),
    );
    assert.equal(
      xml,
      "<specSet><propSet><type>VirtualMachine</type><all>false</all><pathSet>name</pathSet><pathSet>config.hardware.numCPU</pathSet></propSet>" +
        '<objectSet><obj type="Folder">group-3</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><name>folderChildren</name>' +
        "<type>Folder</type><path>childEntity</path><skip>false</skip><selectSet><name>folderChildren</name></selectSet></selectSet></objectSet></specSet>",
    );
  });

  it("puts maxObjects into the options of RetrievePropertiesEx", () => {
    const pc = { type: "PropertyCollector", value: "propertyCollector" };
    const spec = {
      propSet: [{ type: "Task", pathSet: ["info.state"] }],
      objectSet: [{ obj: { type: "Task", value: "task-1" } }],
    };
    assert.match(
      retrievePropertiesExXml(pc, spec, 5),
      /<\/specSet><options><maxObjects>5<\/maxObjects><\/options><\/RetrievePropertiesEx>$/,
    );
    assert.match(retrievePropertiesExXml(pc, spec), /<options\/>/);
    assert.equal(
      methodXml("Logout", { type: "SessionManager", value: "SessionManager" }),
      '<Logout xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this></Logout>',
    );
  });
});
