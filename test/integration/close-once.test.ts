// Closing a client is best effort: when the server is already gone (a provider process exiting after the vCenter
// or vCD went away, or a test that stopped its simulator), the logout is sent once and not retried until the
// transient-failure deadline (two minutes by default), which would hold the process open that long.
import { strict as assert } from "assert";
import { VimClient } from "../../sdk/vsphere/client";
import { startVcsim } from "../../simulators/vcsim";
import { clientFor, startSim } from "./vcd-harness";

describe("closing a client whose server is gone", () => {
  it("vCD: the session DELETE is sent once, with no retry", async () => {
    const sim = await startSim();
    const retries: string[] = [];
    const client = clientFor(sim, { onRetry: (i) => void retries.push(i.what) });
    await client.get("/api/org");
    await sim.stop();
    await client.close();
    assert.deepEqual(retries, []);
  });

  it("vSphere: Logout is sent once, with no retry", async () => {
    const sim = await startVcsim({ username: "close-it" });
    const retries: string[] = [];
    const client = await VimClient.connect(
      { url: sim.url, username: sim.username, password: sim.password, ca: sim.ca },
      { retry: { onRetry: (i) => void retries.push(i.what) } },
    );
    await sim.stop();
    await client.close();
    assert.deepEqual(retries, []);
  });
});
