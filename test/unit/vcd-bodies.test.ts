// Request bodies: element order per schema, checked both directly and through the simulator's validating parser.
import * as assert from "assert";
import { bodies } from "../../sdk/vcd";
import { elementOrder } from "../helpers/xml-order";
import { readBody, validate, parseBody } from "../../simulators/vcd/body";
import { SimError } from "../../simulators/vcd/errors";

const net = [{ name: "acme-net", parentHref: "https://vcd/api/network/1", fenceMode: "bridged" as const }];

describe("vcd: request bodies", () => {
  it("ComposeVAppParams: Description, InstantiationParams (NetworkConfigSection: ovf:Info, NetworkConfig)", () => {
    const xml = bodies.composeVAppParams({ name: "web", description: "d", networks: net });
    assert.deepStrictEqual(elementOrder(xml), ["Description", "InstantiationParams"]);
    assert.deepStrictEqual(elementOrder(xml, ["InstantiationParams", "NetworkConfigSection"]), [
      "Info",
      "NetworkConfig",
    ]);
    assert.deepStrictEqual(
      elementOrder(xml, ["InstantiationParams", "NetworkConfigSection", "NetworkConfig", "Configuration"]),
      ["ParentNetwork", "FenceMode"],
    );
    assert.match(
      xml,
      /^<ComposeVAppParams xmlns="http:\/\/www\.vmware\.com\/vcloud\/v1\.5" xmlns:ovf="http:\/\/schemas\.dmtf\.org\/ovf\/envelope\/1" name="web" deploy="false" powerOn="false">/,
    );
  });

  it("InstantiateVAppTemplateParams: Description, InstantiationParams, Source, AllEULAsAccepted", () => {
    const xml = bodies.instantiateVAppTemplateParams({
      name: "a",
      description: "d",
      networks: net,
      sourceHref: "https://vcd/api/vAppTemplate/vappTemplate-1",
      acceptAllEulas: true,
      powerOn: true,
      deploy: true,
    });
    assert.deepStrictEqual(elementOrder(xml), ["Description", "InstantiationParams", "Source", "AllEULAsAccepted"]);
  });

  it("lease, owner, deploy, undeploy, metadata bodies in schema order", () => {
    assert.deepStrictEqual(elementOrder(bodies.leaseSettings({ deploymentSeconds: 3600, storageSeconds: 7200 })), [
      "Info",
      "DeploymentLeaseInSeconds",
      "StorageLeaseInSeconds",
    ]);
    assert.deepStrictEqual(elementOrder(bodies.leaseSettings({ storageSeconds: 7200 })), [
      "Info",
      "StorageLeaseInSeconds",
    ]);
    assert.deepStrictEqual(elementOrder(bodies.owner("https://vcd/api/admin/user/1")), ["User"]);
    assert.deepStrictEqual(elementOrder(bodies.undeployParams("shutdown")), ["UndeployPowerAction"]);
    assert.strictEqual(
      bodies.deployParams({ powerOn: true }),
      '<DeployVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" powerOn="true"/>',
    );
    const md = bodies.metadata([
      { key: "a", value: 1 },
      { key: "b", value: "x" },
    ]);
    assert.deepStrictEqual(elementOrder(md), ["MetadataEntry"]);
    assert.deepStrictEqual(elementOrder(md, ["MetadataEntry"]), ["Domain", "Key", "TypedValue"]);
    assert.deepStrictEqual(elementOrder(bodies.metadataValue({ key: "a", value: true })), ["Domain", "TypedValue"]);
  });

  it("RecomposeVAppParams for name/description: Description always present, deploy/powerOn mirror the vApp", () => {
    const xml = bodies.recomposeNameDescription({ name: "n", description: "", deployed: true, poweredOn: false });
    assert.deepStrictEqual(elementOrder(xml), ["Description"]);
    assert.match(
      xml,
      /^<RecomposeVAppParams xmlns="http:\/\/www\.vmware\.com\/vcloud\/v1\.5" xmlns:ovf="[^"]+" name="n" deploy="true" powerOn="false">/,
    );
  });

  it("metadata: refuses the domain/visibility pairs vCD answers with a bare 500", () => {
    assert.throws(
      () => bodies.metadata([{ key: "a", value: "x", visibility: "READONLY" }]),
      /READONLY is not allowed in the GENERAL domain/,
    );
    assert.throws(
      () => bodies.metadataValue({ key: "a", value: "x", domain: "SYSTEM", visibility: "READWRITE" }),
      RangeError,
    );
    assert.match(
      bodies.metadataValue({ key: "a", value: "x", domain: "SYSTEM" }),
      /<Domain visibility="READONLY">SYSTEM<\/Domain>/,
    );
    assert.match(bodies.metadataValue({ key: "a", value: "x" }), /<Domain visibility="READWRITE">GENERAL<\/Domain>/);
  });

  it("every client body passes the simulator's schema validation", () => {
    const cases: Array<[string, string]> = [
      [bodies.composeVAppParams({ name: "web", description: "d", networks: net }), "ComposeVAppParams"],
      [
        bodies.instantiateVAppTemplateParams({ name: "a", networks: net, sourceHref: "x", acceptAllEulas: false }),
        "InstantiateVAppTemplateParams",
      ],
      [bodies.vAppEdit({ name: "n", description: "d" }), "VApp"],
      [
        bodies.recomposeNameDescription({ name: "n", description: "d", deployed: false, poweredOn: false }),
        "RecomposeVAppParams",
      ],
      [bodies.leaseSettings({ href: "h", deploymentSeconds: 0, storageSeconds: 3600 }), "LeaseSettingsSection"],
      [bodies.owner("https://vcd/api/admin/user/1"), "Owner"],
      [bodies.deployParams({ powerOn: false, deploymentLeaseSeconds: 3600 }), "DeployVAppParams"],
      [bodies.undeployParams(), "UndeployVAppParams"],
      [
        bodies.metadata([
          { key: "k", value: new Date(0) },
          { key: "s", value: "v", domain: "SYSTEM" },
        ]),
        "Metadata",
      ],
      [bodies.metadataValue({ key: "k", value: 42 }), "MetadataValue"],
    ];
    for (const [xml, root] of cases) assert.doesNotThrow(() => readBody(xml, root), root);
  });

  it("the simulator refuses children out of order, missing required ones, unbound prefixes and wrong roots", () => {
    const bad = (xml: string, root: string, re: RegExp) => {
      assert.throws(
        () => readBody(xml, root),
        (e: unknown) => e instanceof SimError && e.status === 400 && re.test(e.message),
        xml,
      );
    };
    const V = 'xmlns="http://www.vmware.com/vcloud/v1.5"';
    const O = 'xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"';
    bad(
      `<InstantiateVAppTemplateParams ${V} name="a"><Source href="x"/><Description>d</Description></InstantiateVAppTemplateParams>`,
      "InstantiateVAppTemplateParams",
      /starting with element 'Description'/,
    );
    bad(
      `<InstantiateVAppTemplateParams ${V} name="a"><Description>d</Description></InstantiateVAppTemplateParams>`,
      "InstantiateVAppTemplateParams",
      /not complete.*Source/,
    );
    bad(
      `<MetadataEntry ${V}><Key>k</Key><Domain>GENERAL</Domain></MetadataEntry>`,
      "MetadataEntry",
      /starting with element 'Domain'/,
    );
    bad(
      `<LeaseSettingsSection ${V}><ovf:Info>x</ovf:Info></LeaseSettingsSection>`,
      "LeaseSettingsSection",
      /prefix "ovf"/,
    );
    bad(
      `<LeaseSettingsSection ${V} ${O}><ovf:Info>x</ovf:Info><Bogus/></LeaseSettingsSection>`,
      "LeaseSettingsSection",
      /starting with element 'Bogus'/,
    );
    bad(`<VApp name="x"/>`, "VApp", /Cannot find the declaration/);
    bad(`<VApp ${V}`, "VApp", /not well-formed/);
    // NetworkConfig inside InstantiationParams is validated too
    bad(
      `<ComposeVAppParams ${V} ${O} name="a"><InstantiationParams><NetworkConfigSection><ovf:Info>i</ovf:Info><NetworkConfig networkName="n"><Configuration><FenceMode>bridged</FenceMode><ParentNetwork href="h"/></Configuration></NetworkConfig></NetworkConfigSection></InstantiationParams></ComposeVAppParams>`,
      "ComposeVAppParams",
      /starting with element 'ParentNetwork'/,
    );
    assert.doesNotThrow(() => validate(parseBody(`<Metadata ${V}/>`)));
  });
});
