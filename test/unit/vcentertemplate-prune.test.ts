// The prune guard: what disappeared from discovery or the inventory is not silently dropped (Pulumi would delete its
// Kubernetes objects on the next `up`).
import { strict as assert } from "assert";
import { checkShrink, SeenVCenter } from "../../sdk/vcenter/template/prune-guard";
import { pruneRefusal, seenOf } from "../../sdk/vcenter/template/planner";
import type { Props } from "../../providers/vcentertemplate/diff";
import type { VCenterInventory } from "../../sdk/schemas/vcentertemplate";

const Z = "cc.qa-de-1.cloud.sap";
const region = (n: number, clusters = 5): SeenVCenter[] =>
  Array.from({ length: n }, (_, i) => ({
    host: `vc-${String.fromCharCode(97 + i)}-0.${Z}`,
    clusters: Array.from({ length: clusters }, (_, j) => `productionbb${i}${j}`),
  }));

describe("VCenterTemplate prune guard", () => {
  it("refuses an empty zone whatever the bound, naming what disappeared and how to allow it", () => {
    const r = checkShrink(region(2), [], { maxRemovedFraction: 1 });
    assert.ok(r.refusal);
    assert.match(
      r.refusal,
      new RegExp(
        `^vCenters gone: vc-a-0\\.${Z.replace(/\./g, "\\.")}, vc-b-0\\.${Z.replace(/\./g, "\\.")} \\(2 of 2, 100%\\)`,
      ),
    );
    assert.match(r.refusal, /nothing is left of what was discovered before/);
    assert.match(r.refusal, /next `pulumi up`/);
    assert.match(
      r.refusal,
      /add them to pruneGuard\.allow \(e\.g\. \["vc-a-0\.cc\.qa-de-1\.cloud\.sap","vc-b-0\.cc\.qa-de-1\.cloud\.sap"\]\) or raise pruneGuard\.maxRemovedFraction/,
    );
  });

  it("refuses a vCenter that suddenly reports no clusters (the only one in the region)", () => {
    const [a] = region(1);
    const r = checkShrink([a], [{ host: a.host, clusters: [] }], { maxRemovedFraction: 1 });
    assert.match(
      r.refusal!,
      /production clusters gone: vc-a-0\.cc\.qa-de-1\.cloud\.sap\/productionbb00, .* \(5 of 5, 100%\): nothing is left/,
    );
  });

  it("refuses a shrink beyond the bound (default 10%) and accepts one within it", () => {
    const before = region(4, 10); // 4 vCenters, 40 clusters
    const oneCluster = before.map((v, i) => (i === 0 ? { ...v, clusters: v.clusters.slice(1) } : v));
    assert.equal(checkShrink(before, oneCluster).refusal, undefined, "1 of 40 clusters is within 10%");
    const oneVCenter = before.slice(1);
    const r = checkShrink(before, oneVCenter);
    assert.match(
      r.refusal!,
      /vCenters gone: vc-a-0\.cc\.qa-de-1\.cloud\.sap \(1 of 4, 25%\); production clusters gone: those of the vCenters above \(10 of 40, 25%\): more than 10% disappeared at once \(pruneGuard\.maxRemovedFraction 0\.1\)/,
    );
    assert.equal(
      checkShrink(before, oneVCenter, { maxRemovedFraction: 0.25 }).refusal,
      undefined,
      "a raised bound accepts it",
    );
    assert.deepEqual(r.vcenters, { removed: [`vc-a-0.${Z}`], of: 4 });
  });

  it("opt-in: listed vCenters and clusters may disappear, even to nothing", () => {
    const before = region(2, 2);
    assert.equal(checkShrink(before, [], { allow: before.map((v) => v.host) }).refusal, undefined);
    assert.equal(
      checkShrink(before, [before[0]], { allow: [`VC-B-0.${Z}.`] }).refusal,
      undefined,
      "FQDNs compare case- and dot-insensitively",
    );
    const dropped = [before[0], { ...before[1], clusters: [] }];
    assert.ok(
      checkShrink(before, dropped, { allow: [`vc-b-0.${Z}/productionbb10`] }).refusal,
      "one of two listed is not enough",
    );
    assert.equal(
      checkShrink(before, dropped, { allow: [`vc-b-0.${Z}/productionbb10`, `vc-b-0.${Z}/productionbb11`] }).refusal,
      undefined,
    );
  });

  it("growth and a first observation are never refused", () => {
    assert.equal(checkShrink([], region(3)).refusal, undefined);
    assert.equal(checkShrink(region(1), region(3)).refusal, undefined);
  });

  it("provider: only production clusters count; vCenters removed from discovery.static by the program are not a loss", () => {
    const inv = (host: string, clusters: [string, boolean][]): VCenterInventory => ({
      host,
      name: host.split(".")[0],
      url: `https://${host}/sdk`,
      datacenters: [
        {
          name: "qa-de-1a",
          availabilityZone: "qa-de-1a",
          clusters: clusters.map(([name, prod]) => ({
            name,
            datastores: [],
            networks: [],
            ...(prod ? { conventions: { name } } : {}),
          })),
        },
      ],
    });
    const a = inv(`vc-a-0.${Z}`, [
      ["productionbb001", true],
      ["storage01", false],
    ]);
    const b = inv(`vc-b-0.${Z}`, [["productionbb002", true]]);
    assert.deepEqual(seenOf([a]), [{ host: `vc-a-0.${Z}`, clusters: ["productionbb001"] }]);
    const props = (statics: string[]) =>
      ({ discovery: { static: statics }, pruneGuard: undefined }) as unknown as Props;
    assert.equal(pruneRefusal(props([a.host]), [a, b], [a]), undefined, "b was removed from the program");
    assert.match(pruneRefusal(props([a.host, b.host]), [a, b], [a])!, /vCenters gone: vc-b-0/);
    assert.equal(
      pruneRefusal(props([a.host]), [a], [inv(a.host, [["productionbb001", true]])]),
      undefined,
      "storage01 is not a production cluster",
    );
    assert.equal(pruneRefusal(props([a.host]), undefined, []), undefined, "create has nothing to compare with");
  });
});
