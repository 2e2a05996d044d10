// Credential rotation. Pulumi hands every dynamic provider the whole stack configuration, decrypted (Configure:
// the engine's Target.GetPackageConfig passes all keys, namespaced, to the `pulumi-nodejs` package; @pulumi/pulumi
// 3.248 cmd/dynamic-provider calls the provider's `configure({ config })`). read and delete, however, only get the
// properties recorded in the state, so after `pulumi config set --secret …password` they would log in with the old
// password. So at create/update the kit records WHICH configuration key each credential came from (the key's name,
// never its value), and read/delete use that key's current value.
//
// Caveat (engine behaviour): a plain `pulumi refresh` / `pulumi destroy` configures the provider with the
// configuration recorded at the last `up`; `--run-program` (or PULUMI_RUN_PROGRAM=true) runs the program and hands
// the provider the current configuration.

/** Secret leaves of the inputs, by property name (connection.password, credentials.*.password, discovery.dns.tsigKey). User names are not tracked: a short value could match an unrelated key. */
const CREDENTIAL_LEAVES = new Set(["password", "tsigKey"]);
/** Where credentials live in the inputs of the three resources. */
const CREDENTIAL_ROOTS = ["connection", "credentials", "discovery"];

/** Output property holding { "connection.password": "vcd:password", … }: configuration key names only. */
export const SOURCES_KEY = "credentialSources";

let stackConfig: Record<string, unknown> | undefined;

/** From the provider's configure(): @pulumi/pulumi's dynamic Config keeps the raw map as `rawConfig`. */
export function setStackConfig(config: unknown): void {
  const raw = (config as { rawConfig?: unknown } | undefined)?.rawConfig;
  stackConfig = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : undefined;
}

/** True once configure() handed over a configuration (false in unit tests that call handlers directly). */
export const hasStackConfig = (): boolean => stackConfig !== undefined;

function leaves(value: unknown, path: string[], out: Array<[string[], string]>): void {
  if (typeof value === "string") {
    if (CREDENTIAL_LEAVES.has(path[path.length - 1]) && value !== "") out.push([path, value]);
  } else if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  }
}

/** For each credential in `props`, the configuration key that currently holds exactly that value (first by name). */
export function credentialSources(props: Record<string, unknown>): Record<string, string> {
  if (!stackConfig) return {};
  const found: Array<[string[], string]> = [];
  for (const root of CREDENTIAL_ROOTS) leaves(props[root], [root], found);
  const keys = Object.keys(stackConfig).sort();
  const out: Record<string, string> = {};
  for (const [path, value] of found) {
    const key = keys.find((k) => stackConfig![k] === value);
    if (key) out[path.join(".")] = key;
  }
  return out;
}

/**
 * The property names along a recorded path, found in `obj`. The record joins names with "." and names may hold dots
 * themselves (perVCenter is keyed by host name), so each step tries the names of `obj` that the rest starts with,
 * longest first, and keeps the split that ends on a string. Undefined when the credential is no longer there.
 */
export function resolvePath(obj: unknown, path: string): string[] | undefined {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  const names = Object.keys(obj)
    .filter((k) => path === k || path.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length);
  for (const name of names) {
    const value = (obj as Record<string, unknown>)[name];
    if (path === name) {
      if (typeof value === "string") return [name];
      continue;
    }
    const rest = resolvePath(value, path.slice(name.length + 1));
    if (rest) return [name, ...rest];
  }
  return undefined;
}

function setPath(obj: Record<string, unknown>, path: string[], value: string): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...obj };
  copy[head] = rest.length ? setPath((obj[head] as Record<string, unknown>) ?? {}, rest, value) : value;
  return copy;
}

/**
 * `props` with each recorded credential replaced by its configuration key's current value. `changed` names the
 * credentials that differ from the recorded ones (for messages; never the values).
 */
export function withCurrentCredentials<P extends Record<string, unknown>>(
  props: P,
): { props: P; changed: string[]; sources: Record<string, string> } {
  const sources = (props[SOURCES_KEY] as Record<string, string> | undefined) ?? {};
  let out: Record<string, unknown> = props;
  const changed: string[] = [];
  if (stackConfig) {
    for (const [path, key] of Object.entries(sources)) {
      const current = stackConfig[key];
      if (typeof current !== "string" || current === "") continue;
      const segs = resolvePath(props, path);
      if (!segs) continue;
      const recorded = segs.reduce<unknown>((o, s) => (o as Record<string, unknown>)[s], props);
      if (recorded !== current) {
        out = setPath(out, segs, current);
        changed.push(path);
      }
    }
  }
  return { props: out as P, changed, sources };
}

/** Appended to a refused login in read/delete: where the credentials came from and what to do. */
export function rotationHint(sources: Record<string, string>): string {
  const keys = [...new Set(Object.values(sources))];
  const from = keys.length
    ? `the current value of stack configuration ${keys.map((k) => `"${k}"`).join(", ")} as this operation received it`
    : "the credentials recorded in the state at the last `pulumi up`";
  return ` — refresh and destroy used ${from}. If the password was changed: \`pulumi config set --secret <key> <new password>\`, then run \`pulumi refresh --run-program\` or \`pulumi destroy --run-program\` (they hand the provider the current configuration; without --run-program the engine uses the configuration recorded at the last \`pulumi up\`).`;
}
