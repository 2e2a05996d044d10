// `npm run args`: writes providers/<kind>/args.ts, the public `…Args` interfaces of each resource, from the zod
// schema that check() enforces. Plain interfaces with a doc comment per field (units, defaults, what replaces the
// resource), so any TypeScript a Pulumi project ships can read them, with no zod type in sight. A unit test fails
// when a file is stale (test/unit/args.test.ts).
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import {
  vcdVappInputsSchema,
  vcdVappLeasesSchema,
  vcenterTemplateInputsSchema,
  vmGroupInputsSchema,
  vmGroupStatusSchema,
  vmGroupVmSchema,
} from "../sdk/schemas";
import { REPLACE_KEYS as VAPP_REPLACES } from "../providers/vcdvapp/diff";
import { REPLACE_KEYS as VMGROUP_REPLACES } from "../providers/vmgroup/diff";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON Schema nodes as z.toJSONSchema returns them
type Json = Record<string, any>;

interface ResourceArgs {
  kind: string;
  file: string;
  schema: z.ZodType;
  /** Top-level inputs whose change replaces the resource (the planner's list). */
  replaces: readonly string[];
  /** Top-level inputs the resource class marks secret as a whole. */
  secrets: readonly string[];
  /** Inputs whose output the class declares itself (a richer shape than the input). */
  ownOutputs: readonly string[];
  /** Inputs the class or check() sets, never the user: left out of Args (the class declares their outputs). */
  internal?: readonly string[];
  /** Interface names for nested objects, by dotted path ("connection", "templates[]"); default: Kind + Path. */
  names?: Record<string, string>;
  /** Hand-written types for paths the JSON schema cannot express (e.g. metadata values that may be Dates). */
  overrides?: Record<string, { input: string; output: string }>;
  /** Extra doc lines by path. */
  notes?: Record<string, string>;
  /** Output shapes the class uses, rendered as plain interfaces (so its types never reach zod). */
  outputTypes?: Record<string, z.ZodType>;
}

const METADATA_VALUE = "string | number | boolean | { dateTime: string }";

export const RESOURCES: ResourceArgs[] = [
  {
    kind: "VmGroup",
    file: "providers/vmgroup/args.ts",
    schema: vmGroupInputsSchema,
    replaces: VMGROUP_REPLACES,
    secrets: ["connection"],
    ownOutputs: [],
    internal: ["owner", "plannedAdoption"],
    names: {
      connection: "VsphereConnection",
      "#VmGroupDrift.folder": "VmGroupFolderDrift",
      "#VmGroupDrift.vms{}": "VmGroupVmDrift",
    },
    outputTypes: { VmGroupVm: vmGroupVmSchema, VmGroupDrift: vmGroupStatusSchema.shape.drift.unwrap() },
  },
  {
    kind: "VcdVapp",
    file: "providers/vcdvapp/args.ts",
    schema: vcdVappInputsSchema,
    replaces: VAPP_REPLACES,
    secrets: ["connection"],
    ownOutputs: ["name", "owner", "leases", "metadata"],
    names: { connection: "VcdConnection", leases: "VcdVappLeasesArgs", source: "VcdVappSource" },
    outputTypes: { VcdVappLeases: vcdVappLeasesSchema },
    overrides: {
      metadata: {
        input: `pulumi.Input<{ [key: string]: pulumi.Input<${METADATA_VALUE} | Date> }>`,
        output: `{ [key: string]: ${METADATA_VALUE} }`,
      },
    },
    notes: {
      metadata:
        "Values: strings, whole numbers, booleans, and Dates or `{ dateTime: <ISO 8601> }` (MetadataDateTimeValue).",
    },
  },
  {
    kind: "VCenterTemplate",
    file: "providers/vcentertemplate/args.ts",
    schema: vcenterTemplateInputsSchema,
    replaces: [],
    secrets: ["credentials", "discovery"],
    ownOutputs: [],
    names: {
      "templates[]": "VCenterTemplateItem",
      "templates[].options": "VCenterTemplateOptions",
      "credentials.masterPassword": "VCenterLogin",
      "credentials.perVCenter{}": "VCenterLogin",
    },
  },
];

const pascal = (s: string) =>
  s.replace(/(^|[.[\]{}]+)([a-z])/g, (_m, _p, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");

function docLines(node: Json, extra: string[]): string[] {
  const facts: string[] = [];
  if (node.description)
    facts.push(
      String(node.description)
        .replace(/\s*$/, "")
        .replace(/([^.])$/, "$1."),
    );
  const t = node.type;
  if (t === "integer" || t === "number") {
    const min = node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? node.minimum : undefined;
    const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
    const kind = t === "integer" ? "A whole number" : "A number";
    if (min !== undefined && max !== undefined) facts.push(`${kind} from ${min} to ${max}.`);
    else if (min !== undefined) facts.push(`${kind}, at least ${min}.`);
    else if (max !== undefined) facts.push(`${kind}, at most ${max}.`);
    else if (t === "integer") facts.push(`${kind}.`);
    if (node.multipleOf !== undefined) facts.push(`A multiple of ${node.multipleOf}.`);
  }
  if (t === "string") {
    if (node.minLength === 1 && node.maxLength) facts.push(`1 to ${node.maxLength} characters.`);
    else if (node.minLength === 1) facts.push("Not empty.");
    else if (node.maxLength) facts.push(`At most ${node.maxLength} characters.`);
  }
  if (t === "array" && node.minItems) facts.push(`At least ${node.minItems} item${node.minItems > 1 ? "s" : ""}.`);
  if (node.default !== undefined) facts.push(`Default: \`${JSON.stringify(node.default)}\`.`);
  return [...facts, ...extra];
}

function comment(lines: string[], indent: string): string {
  if (!lines.length) return "";
  const text = lines.join(" ").replace(/\*\//g, "*\\/");
  // Wrap at ~110 columns so the generated file reads like the rest of the code base.
  const words = text.split(/\s+/);
  const out: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && (indent + " * " + line + " " + w).length > 110) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out.length === 1 && (indent + `/** ${out[0]} */`).length <= 110
    ? `${indent}/** ${out[0]} */\n`
    : `${indent}/**\n${out.map((l) => `${indent} * ${l}`).join("\n")}\n${indent} */\n`;
}

class Renderer {
  readonly interfaces = new Map<string, string>();
  constructor(readonly res: ResourceArgs) {}

  private nameFor(p: string, io: "input" | "output"): string {
    const base = this.res.names?.[p] ?? `${this.res.kind}${pascal(p)}`;
    const plain = base.replace(/Args$/, "");
    return io === "input" ? `${plain}Args` : plain;
  }

  /** The TypeScript type of a schema node: `input` wraps every level in pulumi.Input, `output` is plain. */
  type(node: Json, p: string, io: "input" | "output"): string {
    const override = this.res.overrides?.[p];
    if (override) return override[io];
    const wrap = (t: string) => (io === "input" ? `pulumi.Input<${t}>` : t);
    if (node.enum) return wrap(node.enum.map((v: unknown) => JSON.stringify(v)).join(" | "));
    if (node.anyOf)
      return wrap(node.anyOf.map((n: Json, i: number) => this.type(n, `${p}|${i}`, "output")).join(" | "));
    switch (node.type) {
      case "string":
        return wrap("string");
      case "integer":
      case "number":
        return wrap("number");
      case "boolean":
        return wrap("boolean");
      case "array":
        return wrap(`${this.type(node.items ?? {}, `${p}[]`, io)}[]`);
      case "object":
        if (node.properties) return wrap(this.object(node, p, io));
        if (node.additionalProperties && typeof node.additionalProperties === "object") {
          return wrap(`{ [key: string]: ${this.type(node.additionalProperties, `${p}{}`, io)} }`);
        }
        return wrap("{ [key: string]: unknown }");
      default:
        return wrap("unknown");
    }
  }

  /** Renders (once) the interface of an object node and returns its name. */
  object(node: Json, p: string, io: "input" | "output"): string {
    const name = this.nameFor(p, io);
    if (this.interfaces.has(name)) return name;
    this.interfaces.set(name, ""); // reserve: recursion and shared names
    const required = new Set<string>(node.required ?? []);
    const fields = Object.entries(node.properties as Record<string, Json>).map(([key, child]) => {
      const childPath = p ? `${p}.${key}` : key;
      const optional = io === "input" ? !required.has(key) : !required.has(key) && child.default === undefined;
      const extra: string[] = [];
      if (this.res.notes?.[childPath]) extra.push(this.res.notes[childPath]);
      if (/password|tsigKey$/i.test(key)) extra.push("Secret: encrypted in the state and never shown.");
      return (
        comment(docLines(child, extra), "  ") + `  ${key}${optional ? "?" : ""}: ${this.type(child, childPath, io)};`
      );
    });
    this.interfaces.set(name, `export interface ${name} {\n${fields.join("\n")}\n}`);
    return name;
  }

  /** The resource's Args (every input) and its InputOutputs (every input, as an output of the resource). */
  render(): string {
    const { kind } = this.res;
    const root = z.toJSONSchema(this.res.schema, { io: "input", unrepresentable: "any" }) as Json;
    const required = new Set<string>(root.required ?? []);
    const args: string[] = [];
    const outs: string[] = [];
    for (const [key, node] of Object.entries(root.properties as Record<string, Json>)) {
      if (this.res.internal?.includes(key)) continue;
      const extra: string[] = [];
      if (this.res.notes?.[key]) extra.push(this.res.notes[key]);
      if (this.res.replaces.includes(key)) extra.push("Changing it replaces the resource.");
      if (this.res.secrets.includes(key)) extra.push("Secret as a whole: encrypted in the state.");
      const doc = comment(docLines(node, extra), "  ");
      args.push(doc + `  ${key}${required.has(key) ? "" : "?"}: ${this.type(node, key, "input")};`);
      if (this.res.ownOutputs.includes(key)) continue;
      const always = required.has(key) || node.default !== undefined;
      const t = this.type(node, key, "output");
      outs.push(doc + `  readonly ${key}: pulumi.Output<${always ? t : `${t} | undefined`}>;`);
    }
    for (const [name, schema] of Object.entries(this.res.outputTypes ?? {})) {
      const node = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Json;
      this.res.names = { ...this.res.names, [`#${name}`]: name };
      this.object(node, `#${name}`, "output");
    }
    const nested = [...this.interfaces.values()];
    return [
      `// Generated from the zod schema of ${kind} (sdk/schemas) by \`npm run args\`; do not edit.`,
      `import type * as pulumi from "@pulumi/pulumi";`,
      "",
      `/** The inputs of a ${kind}. check() enforces the rules given here at \`pulumi preview\`. */`,
      `export interface ${kind}Args {\n${args.join("\n")}\n}`,
      "",
      `/** Every input of a ${kind}, as the resource reports it back (\`${kind.charAt(0).toLowerCase() + kind.slice(1)}.<input>\`). */`,
      `export interface ${kind}InputOutputs {\n${outs.join("\n")}\n}`,
      ...nested.flatMap((n) => ["", n]),
      "",
    ].join("\n");
  }
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The shape of a node for a table cell: `string`, `"on" \| "off"`, `{ url, username, … }`, `string[]`. */
function shortType(node: Json): string {
  if (node.enum) return node.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  if (node.type === "array") return `${shortType(node.items ?? {})}[]`;
  if (node.type === "integer") return "number";
  if (node.type === "object" && node.properties) {
    const req = new Set<string>(node.required ?? []);
    return `{ ${Object.keys(node.properties)
      .map((k) => (req.has(k) ? k : `${k}?`))
      .join(", ")} }`;
  }
  if (node.type === "object")
    return `{ [key]: ${node.additionalProperties && Object.keys(node.additionalProperties).length ? shortType(node.additionalProperties) : "any"} }`;
  return node.type ?? "any";
}

/** README's input table of a resource: every input, and the fields of object inputs one level down. */
export function inputTable(res: ResourceArgs): string {
  const root = z.toJSONSchema(res.schema, { io: "input", unrepresentable: "any" }) as Json;
  const rows: string[] = ["| input | type | meaning |", "| --- | --- | --- |"];
  const row = (name: string, node: Json, required: boolean, extra: string[]) => {
    const facts = docLines(node, extra).join(" ");
    rows.push(
      `| \`${name}\`${required ? "" : " (optional)"} | \`${cell(res.overrides?.[name]?.output ?? shortType(node))}\` | ${cell(facts)} |`,
    );
  };
  const required = new Set<string>(root.required ?? []);
  for (const [key, node] of Object.entries(root.properties as Record<string, Json>)) {
    if (res.internal?.includes(key)) continue;
    const extra = [
      ...(res.notes?.[key] ? [res.notes[key]] : []),
      ...(res.replaces.includes(key) ? ["Changing it replaces the resource."] : []),
      ...(res.secrets.includes(key) ? ["Secret as a whole."] : []),
    ];
    row(key, node, required.has(key) && node.default === undefined, extra);
    const inner = node.type === "array" ? node.items : node;
    if (inner?.type === "object" && inner.properties) {
      const innerReq = new Set<string>(inner.required ?? []);
      for (const [k, n] of Object.entries(inner.properties as Record<string, Json>)) {
        row(`${key}${node.type === "array" ? "[]" : ""}.${k}`, n, innerReq.has(k) && n.default === undefined, []);
      }
    }
  }
  return rows.join("\n");
}

/** README with each `<!-- inputs:Kind -->` … `<!-- /inputs -->` block replaced by the generated table. */
export function readmeWithTables(readme: string): string {
  let out = readme;
  for (const res of RESOURCES) {
    const re = new RegExp(`(<!-- inputs:${res.kind} -->\n)[\\s\\S]*?(<!-- /inputs -->)`);
    if (!re.test(out)) throw new Error(`README has no <!-- inputs:${res.kind} --> block`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}${inputTable(res)}\n${close}`);
  }
  return out;
}

/** File path (relative to the repo) → generated content. */
export function renderArgsFiles(): Record<string, string> {
  return Object.fromEntries(RESOURCES.map((r) => [r.file, new Renderer(r).render()]));
}

if (require.main === module) {
  const repo = path.resolve(__dirname, "..");
  for (const [file, text] of Object.entries(renderArgsFiles())) {
    fs.writeFileSync(path.join(repo, file), text);
    console.log(`wrote ${file}`);
  }
  const readme = path.join(repo, "README.md");
  fs.writeFileSync(readme, readmeWithTables(fs.readFileSync(readme, "utf8")));
  console.log("wrote the input tables in README.md");
}
