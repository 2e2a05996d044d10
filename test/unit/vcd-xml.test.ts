// XML ⇄ typed objects: VApp mapping, tasks, metadata, queries, versions; and value conversion for metadata.
import * as assert from "assert";
import { queryPage } from "../../sdk/vcd/query";
import {
  bodies,
  buildFilter,
  chooseVersion,
  compareVersions,
  parseMetadata,
  parseQueryRecords,
  parseTask,
  parseVApp,
  VersionError,
} from "../../sdk/vcd";

const NS =
  'xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const H = "https://vcd.example.com/api";

const POWERED_ON = `<?xml version="1.0"?>
<VApp ${NS} ovfDescriptorUploaded="true" deployed="true" status="4" name="web" id="urn:vcloud:vapp:11111111-2222-3333-4444-555555555555" href="${H}/vApp/vapp-11111111-2222-3333-4444-555555555555" type="application/vnd.vmware.vcloud.vApp+xml">
  <Link rel="power:powerOff" href="${H}/vApp/vapp-1/power/action/powerOff"/>
  <Link rel="undeploy" href="${H}/vApp/vapp-1/action/undeploy" type="application/vnd.vmware.vcloud.undeployVAppParams+xml"/>
  <Link rel="up" href="${H}/vdc/abc" type="application/vnd.vmware.vcloud.vdc+xml"/>
  <Description>front &amp; back</Description>
  <LeaseSettingsSection href="${H}/vApp/vapp-1/leaseSettingsSection/" type="application/vnd.vmware.vcloud.leaseSettingsSection+xml" ovf:required="false">
    <ovf:Info>Lease settings section</ovf:Info>
    <DeploymentLeaseInSeconds>3600</DeploymentLeaseInSeconds>
    <StorageLeaseInSeconds>7200</StorageLeaseInSeconds>
    <DeploymentLeaseExpiration>2030-01-01T01:00:00.000+00:00</DeploymentLeaseExpiration>
    <StorageLeaseExpiration>2030-01-01T02:00:00.000+00:00</StorageLeaseExpiration>
  </LeaseSettingsSection>
  <NetworkConfigSection ovf:required="false"><ovf:Info>x</ovf:Info>
    <NetworkConfig networkName="acme-net"><Configuration><ParentNetwork href="${H}/network/n1" name="acme-net"/><FenceMode>bridged</FenceMode></Configuration><IsDeployed>true</IsDeployed></NetworkConfig>
  </NetworkConfigSection>
  <DateCreated>2024-01-01T00:00:00.000+00:00</DateCreated>
  <Owner type="application/vnd.vmware.vcloud.owner+xml"><User href="${H}/admin/user/u1" name="bob" type="application/vnd.vmware.admin.user+xml"/></Owner>
  <InMaintenanceMode>false</InMaintenanceMode>
  <Children><Vm status="4" name="web-vm1" href="${H}/vApp/vm-1"/></Children>
</VApp>`;

describe("vcd: XML mapping", () => {
  it("maps a powered-on VApp to the typed object", () => {
    const v = parseVApp(POWERED_ON, new Date("2029-12-31T00:00:00Z"));
    assert.deepStrictEqual(
      {
        id: v.id,
        uuid: v.uuid,
        name: v.name,
        description: v.description,
        status: v.status,
        statusText: v.statusText,
        deployed: v.deployed,
        vdcHref: v.vdcHref,
        owner: v.owner,
        expired: v.expired,
        vmNames: v.vmNames,
      },
      {
        id: "urn:vcloud:vapp:11111111-2222-3333-4444-555555555555",
        uuid: "11111111-2222-3333-4444-555555555555",
        name: "web",
        description: "front & back",
        status: 4,
        statusText: "POWERED_ON",
        deployed: true,
        vdcHref: `${H}/vdc/abc`,
        owner: { name: "bob", href: `${H}/admin/user/u1` },
        expired: false,
        vmNames: ["web-vm1"],
      },
    );
    assert.deepStrictEqual(v.leases, {
      deploymentSeconds: 3600,
      storageSeconds: 7200,
      deploymentExpiration: "2030-01-01T01:00:00.000+00:00",
      storageExpiration: "2030-01-01T02:00:00.000+00:00",
    });
    assert.deepStrictEqual(v.networks, [
      { name: "acme-net", fenceMode: "bridged", parentNetworkHref: `${H}/network/n1`, parentNetworkName: "acme-net" },
    ]);
    assert.deepStrictEqual(
      v.links.map((l) => l.rel),
      ["power:powerOff", "undeploy", "up"],
    );
    assert.strictEqual(parseVApp(POWERED_ON, new Date("2031-01-01Z")).expired, true);
  });

  it("maps a task with an error", () => {
    const t = parseTask(
      `<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="error" operationName="vappDeploy" operation="Starting" id="urn:vcloud:task:9" href="${H}/task/9"><Owner href="${H}/vApp/vapp-1" name="web"/><Error majorErrorCode="500" minorErrorCode="INTERNAL_SERVER_ERROR" message="[ abc-1 ] Datastore full."/><User name="alice"/><Organization name="acme"/><Progress>100</Progress><Details>Datastore full.</Details></Task>`,
    );
    assert.deepStrictEqual(
      [t.status, t.operationName, t.ownerHref, t.ownerName, t.progress, t.userName, t.orgName],
      ["error", "vappDeploy", `${H}/vApp/vapp-1`, "web", 100, "alice", "acme"],
    );
    assert.deepStrictEqual(t.error, {
      majorErrorCode: "500",
      minorErrorCode: "INTERNAL_SERVER_ERROR",
      message: "Datastore full.",
      requestId: "abc-1",
    });
  });

  it("maps typed metadata values", () => {
    const md =
      parseMetadata(`<Metadata xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <MetadataEntry><Domain visibility="READWRITE">GENERAL</Domain><Key>n</Key><TypedValue xsi:type="MetadataNumberValue"><Value>42</Value></TypedValue></MetadataEntry>
      <MetadataEntry><Domain visibility="READONLY">SYSTEM</Domain><Key>b</Key><TypedValue xsi:type="MetadataBooleanValue"><Value>true</Value></TypedValue></MetadataEntry>
      <MetadataEntry><Key>s</Key><TypedValue xsi:type="MetadataStringValue"><Value>x</Value></TypedValue></MetadataEntry>
      <MetadataEntry><Key>d</Key><TypedValue xsi:type="MetadataDateTimeValue"><Value>2024-05-01T10:00:00.000Z</Value></TypedValue></MetadataEntry>
    </Metadata>`);
    assert.deepStrictEqual(
      md.map((m) => [m.key, m.value, m.type, m.domain, m.visibility]),
      [
        ["n", 42, "MetadataNumberValue", "GENERAL", "READWRITE"],
        ["b", true, "MetadataBooleanValue", "SYSTEM", "READONLY"],
        ["s", "x", "MetadataStringValue", "GENERAL", "READWRITE"],
        ["d", "2024-05-01T10:00:00.000Z", "MetadataDateTimeValue", "GENERAL", "READWRITE"],
      ],
    );
  });

  it("converts metadata values for the wire and refuses ones the type cannot hold", () => {
    assert.strictEqual(bodies.metadataText({ key: "n", value: 3 }), "3");
    assert.strictEqual(bodies.metadataType({ key: "n", value: 3 }), "MetadataNumberValue");
    assert.strictEqual(bodies.metadataText({ key: "b", value: "false", type: "MetadataBooleanValue" }), "false");
    assert.strictEqual(bodies.metadataText({ key: "d", value: new Date(0) }), "1970-01-01T00:00:00.000Z");
    assert.throws(() => bodies.metadataText({ key: "n", value: 1.5 }), RangeError);
    assert.throws(() => bodies.metadataText({ key: "b", value: "yes", type: "MetadataBooleanValue" }), RangeError);
    assert.throws(
      () => bodies.metadataText({ key: "d", value: "not a date", type: "MetadataDateTimeValue" }),
      RangeError,
    );
    assert.match(bodies.metadataValue({ key: "k", value: "<&>" }), /<Value>&lt;&amp;&gt;<\/Value>/);
  });

  it("reads query records with paging info and status names", () => {
    const p =
      parseQueryRecords(`<QueryResultRecords xmlns="http://www.vmware.com/vcloud/v1.5" total="3" pageSize="2" page="1" name="vApp">
      <Link rel="nextPage" href="${H}/query?type=vApp&amp;page=2"/>
      <VAppRecord name="a" status="POWERED_ON" href="${H}/vApp/vapp-a"/><VAppRecord name="b" status="RESOLVED" href="${H}/vApp/vapp-b"/></QueryResultRecords>`);
    assert.deepStrictEqual([p.total, p.page, p.pageSize, p.nextHref], [3, 1, 2, `${H}/query?type=vApp&page=2`]);
    assert.deepStrictEqual(
      p.records.map((r) => [r.recordType, r.attrs.name, r.attrs.status]),
      [
        ["VAppRecord", "a", "POWERED_ON"],
        ["VAppRecord", "b", "RESOLVED"],
      ],
    );
  });

  it("keeps values with FIQL reserved characters out of the server filter", () => {
    const f = buildFilter({ name: "a,b;c", vdc: "https://vcd/api/vdc/1" });
    assert.strictEqual(f.server, "vdc==https://vcd/api/vdc/1");
    assert.strictEqual(f.local({ recordType: "VAppRecord", attrs: { name: "a,b;c" } }), true);
    assert.strictEqual(f.local({ recordType: "VAppRecord", attrs: { name: "a" } }), false);
  });

  it("encodes a space in a query filter as %20, not the form-only +", async () => {
    const hrefs: string[] = [];
    const src = {
      href: (p: string) => `https://vcd${p}`,
      get: async (h: string) => (hrefs.push(h), `<QueryResultRecords ${NS} total="0" page="1" pageSize="128"/>`),
    };
    await queryPage(src, "vApp", { filter: { name: "my web app" } });
    assert.match(hrefs[0], /filter=name%3D%3Dmy%20web%20app(&|$)/);
    assert.ok(!hrefs[0].includes("+"), hrefs[0]);
  });

  it("negotiates versions: highest common non-deprecated, pinned, or a clear error", () => {
    const server = [
      { version: "35.0", deprecated: true },
      { version: "37.0", deprecated: false },
      { version: "38.1", deprecated: false },
      { version: "39.0", deprecated: true },
      { version: "40.0", deprecated: false },
    ];
    assert.strictEqual(chooseVersion(server).version, "38.1");
    assert.strictEqual(chooseVersion(server, "35.0").version, "35.0");
    assert.throws(() => chooseVersion(server, "36.0"), VersionError);
    assert.throws(() => chooseVersion([{ version: "40.0", deprecated: false }]), /no API version in common/);
    assert.ok(
      compareVersions("39.0.1", "39.0") > 0 &&
        compareVersions("38.1", "38.10") < 0 &&
        compareVersions("37.0", "37") === 0,
    );
  });
});
