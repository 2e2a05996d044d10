// Warnings from inside the dynamic provider process, shown by the pulumi CLI as `warning:` diagnostics. The engine
// starts that process with its own gRPC address as the first argument (@pulumi/pulumi cmd/dynamic-provider), and
// pulumi.log cannot reach it there (it only knows the address given to programs), so the Engine.Log call is made
// here with the SDK's own generated client. Messages must never hold a secret: callers pass fixed text and names.

type EngineClient = { log(req: unknown, cb: (err: unknown) => void): void };
let engine: EngineClient | null | undefined;

function engineClient(): EngineClient | null {
  if (engine !== undefined) return engine;
  engine = null;
  const addr = process.argv[2];
  if (!/dynamic-provider/.test(process.argv[1] ?? "") || !addr || !/^[\w.\-[\]:]+:\d+$/.test(addr)) return engine;
  try {
    // The same grpc-js instance the SDK's generated client was built with (a second copy would not interoperate).
    const sdk = require.resolve("@pulumi/pulumi");
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
    const rpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
    engine = new rpc.EngineClient(addr, grpc.credentials.createInsecure()) as EngineClient;
  } catch {
    engine = null;
  }
  return engine;
}

/** Sends a warning to the engine (the CLI prints it); outside a provider process it goes to stderr. */
export async function warn(message: string): Promise<void> {
  const client = engineClient();
  if (!client) {
    process.stderr.write(`warning: ${message}\n`);
    return;
  }
  const proto = require("@pulumi/pulumi/proto/engine_pb");
  const req = new proto.LogRequest();
  req.setSeverity(proto.LogSeverity.WARNING);
  req.setMessage(message);
  req.setUrn("");
  await new Promise<void>((resolve) => client.log(req, () => resolve()));
}
