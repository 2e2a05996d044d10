// Credential rotation for every resource kind: which stack configuration key a credential came from is recorded
// (by name), and read/delete get that key's current value; nothing else in the inputs follows the configuration.
import { strict as assert } from "assert";
import {
  credentialSources,
  rotationHint,
  setStackConfig,
  SOURCES_KEY,
  withCurrentCredentials,
} from "../../providers/common/credentials";

const config = (raw: Record<string, string>) => setStackConfig({ rawConfig: raw, get: (k: string) => raw[k] });

describe("credentials from the stack configuration", () => {
  afterEach(() => setStackConfig(undefined));

  it("records where VmGroup/VcdVapp passwords, a VCenterTemplate master password and TSIG key came from: names only", () => {
    config({
      "vmware:vcenterPassword": "pw-1",
      "proj:master": "m-1",
      "proj:tsig": "c2VjcmV0",
      "proj:replicas": "3",
      "vcd:user": "alice",
    });
    assert.deepEqual(
      credentialSources({ connection: { url: "https://vc/sdk", username: "alice", password: "pw-1" }, replicas: 3 }),
      {
        "connection.password": "vmware:vcenterPassword",
      },
      "user names are not tracked",
    );
    const template = {
      credentials: { masterPassword: { username: "op", password: "m-1" }, perVCenter: undefined },
      discovery: { dns: { server: "10.0.0.53", zone: "z.example.com", tsigKey: "c2VjcmV0" } },
    };
    const sources = credentialSources(template);
    assert.deepEqual(sources, {
      "credentials.masterPassword.password": "proj:master",
      "discovery.dns.tsigKey": "proj:tsig",
    });
    assert.ok(!JSON.stringify(sources).includes("m-1"));
  });

  it("hands read/delete the key's current value, and only for recorded credentials", () => {
    config({ "proj:master": "m-2", "proj:url": "https://moved.example.com" });
    const props = {
      credentials: { masterPassword: { username: "op", password: "m-1" } },
      endpoints: { "vc-a-0.example.com": "https://old.example.com/sdk" },
      [SOURCES_KEY]: { "credentials.masterPassword.password": "proj:master" },
    };
    const r = withCurrentCredentials(props);
    assert.equal((r.props.credentials as any).masterPassword.password, "m-2");
    assert.deepEqual(r.changed, ["credentials.masterPassword.password"]);
    assert.equal((props.credentials as any).masterPassword.password, "m-1", "the recorded props are not mutated");
    assert.deepEqual(r.props.endpoints, props.endpoints, "endpoints never follow the configuration");
  });

  it("finds per-vCenter passwords under host names with dots: unchanged is unchanged, rotated is replaced in place", () => {
    const host = "vc-a-0.cc.qa-de-1.cloud.sap";
    const props = {
      credentials: { perVCenter: { [host]: { username: "op", password: "pw-1" } } },
      [SOURCES_KEY]: { [`credentials.perVCenter.${host}.password`]: "proj:vcPassword" },
    };
    config({ "proj:vcPassword": "pw-1" });
    const same = withCurrentCredentials(props);
    assert.deepEqual(same.changed, [], "a refresh of an unchanged stack changes nothing");
    assert.deepEqual(same.props, props);
    config({ "proj:vcPassword": "pw-2" });
    const rotated = withCurrentCredentials(props);
    assert.deepEqual(rotated.changed, [`credentials.perVCenter.${host}.password`]);
    assert.deepEqual((rotated.props.credentials as any).perVCenter, { [host]: { username: "op", password: "pw-2" } });
  });

  it("keeps the recorded value when the key is gone or no configuration was handed over", () => {
    const props = { connection: { password: "pw-1" }, [SOURCES_KEY]: { "connection.password": "vcd:password" } };
    config({});
    assert.equal((withCurrentCredentials(props).props.connection as any).password, "pw-1");
    setStackConfig(undefined);
    assert.equal((withCurrentCredentials(props).props.connection as any).password, "pw-1");
    assert.deepEqual(credentialSources(props), {});
  });

  it("says what was used and what to do, naming keys but no value", () => {
    assert.match(
      rotationHint({ "connection.password": "vcd:password" }),
      /current value of stack configuration "vcd:password".*--run-program/,
    );
    assert.match(rotationHint({}), /credentials recorded in the state at the last `pulumi up`/);
  });
});
