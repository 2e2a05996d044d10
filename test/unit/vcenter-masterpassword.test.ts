import { strict as assert } from "assert";
import * as util from "util";
import {
  clearMasterKeyCache,
  derivePassword,
  keyId,
  MasterPassword,
  masterKey,
} from "../../sdk/vcenter/masterpassword";

// Lyndir/MasterPassword core/mpw_tests.xml defaults, Long template.
const NAME = "Robert Lee Mitchell";
const PASSWORD = "banana colored duckling";
const SITE = "masterpasswordapp.com";

describe("vcenter master password", function () {
  this.timeout(30000);

  it("v3: counter 1", () => {
    assert.equal(derivePassword(NAME, PASSWORD, SITE), "Jejr5[RepuSosp");
    assert.equal(new MasterPassword(NAME, PASSWORD).derive("long", SITE), "Jejr5[RepuSosp");
  });

  it("v3_counter_ceiling: counter 4294967295", () => {
    assert.equal(derivePassword(NAME, PASSWORD, SITE, { counter: 4294967295 }), "XambHoqo6[Peni");
  });

  it("keyID = SHA256(master key)", () => {
    assert.equal(keyId(NAME, PASSWORD), "98EEF4D1DF46D849574A82A03C3177056B15DFFCA29BB3899DE4628453675302");
  });

  it("v3_mb_masterPassword: ⛄ as master password", () => {
    assert.equal(derivePassword(NAME, "⛄", SITE), "QesuHirv5-Xepl");
  });

  it("multibyte fullName: sapcc code-point length gives WaqoGuho2[Xaxw (not v3's NopaDajh8=Fene)", () => {
    assert.equal(derivePassword("⛄", PASSWORD, SITE), "WaqoGuho2[Xaxw");
  });

  it("multibyte siteName: sapcc code-point length gives WawiYarp2@Kodh (not v3's LiheCuwhSerz6))", () => {
    assert.equal(derivePassword(NAME, PASSWORD, "⛄"), "WawiYarp2@Kodh");
  });

  it("counts code points, not UTF-16 units (an astral character is one)", () => {
    // "𝒜" is 1 code point, 2 UTF-16 units, 4 UTF-8 bytes; the code-point count must match a BMP name of length 1.
    const astral = derivePassword(NAME, PASSWORD, "𝒜");
    assert.match(astral, /^[A-Za-z0-9@&%?,=[\]_:\-+*$#!'^~;()/.]{14}$/);
    assert.notEqual(astral, derivePassword(NAME, PASSWORD, "𝒜x"));
  });

  it("caches the scrypt key per (user, password) and is fast on a hit", () => {
    clearMasterKeyCache();
    const t0 = process.hrtime.bigint();
    const k1 = masterKey(NAME, PASSWORD);
    const cold = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    const k2 = masterKey(NAME, PASSWORD);
    const warm = Number(process.hrtime.bigint() - t1) / 1e6;
    assert.equal(k1, k2);
    assert.ok(warm < cold, `warm ${warm} ms should be below cold ${cold} ms`);
    assert.notEqual(masterKey(NAME + "x", PASSWORD), k1);
    console.log(`      scrypt master key: ${cold.toFixed(0)} ms cold, ${warm.toFixed(3)} ms cached`);
  });

  it("rejects counters outside uint32", () => {
    assert.throws(() => derivePassword(NAME, PASSWORD, SITE, { counter: 2 ** 32 }), RangeError);
    assert.throws(() => derivePassword(NAME, PASSWORD, SITE, { counter: -1 }), RangeError);
  });

  it("keeps the master password out of inspect and JSON", () => {
    const mp = new MasterPassword(NAME, PASSWORD);
    assert.ok(!util.inspect(mp).includes(PASSWORD));
    assert.ok(!JSON.stringify(mp).includes(PASSWORD));
  });
});
