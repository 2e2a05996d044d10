// providers/<kind>/args.ts: the public Args interfaces, generated from the zod schemas (`npm run args`).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { readmeWithTables, renderArgsFiles, RESOURCES } from "../../scripts/gen-args";

const REPO = path.join(__dirname, "..", "..");

describe("providers/*/args.ts", () => {
  const generated = renderArgsFiles();

  for (const [file, text] of Object.entries(generated)) {
    it(`${file} matches the zod schema (run \`npm run args\` after changing a schema)`, () => {
      assert.equal(fs.readFileSync(path.join(REPO, file), "utf8"), text);
    });
  }

  for (const r of RESOURCES) {
    it(`${r.kind}Args has a doc comment on every field and declares every schema input`, () => {
      const text = generated[r.file];
      const body = new RegExp(`export interface ${r.kind}Args \\{\\n([\\s\\S]*?)\\n\\}`).exec(text)![1];
      const keys = Object.keys((z.toJSONSchema(r.schema, { io: "input", unrepresentable: "any" }) as any).properties);
      for (const key of keys.filter((k) => !r.internal?.includes(k))) {
        assert.match(body, new RegExp(`\\*/\\n {2}${key}\\??: `), `${r.kind}Args.${key} has no doc comment`);
      }
      // Every nested field too: no field line directly after another field line.
      assert.doesNotMatch(text, /;\n {2}[A-Za-z_]+\??: /, "a nested field without a doc comment");
    });

    it(`${r.kind}: every input is also an output, except those the class declares itself`, () => {
      const outs = new RegExp(`export interface ${r.kind}InputOutputs \\{\\n([\\s\\S]*?)\\n\\}`).exec(
        generated[r.file],
      )![1];
      const keys = Object.keys((z.toJSONSchema(r.schema, { io: "input", unrepresentable: "any" }) as any).properties);
      const own = [...r.ownOutputs, ...(r.internal ?? [])];
      for (const key of keys.filter((k) => !own.includes(k)))
        assert.match(outs, new RegExp(`readonly ${key}: pulumi\\.Output<`));
      const cls = fs.readFileSync(path.join(REPO, path.dirname(r.file), "index.ts"), "utf8");
      for (const key of own)
        assert.match(cls, new RegExp(`declare readonly ${key}: pulumi\\.Output<`), `${r.kind} declares ${key}`);
    });
  }

  it("README's input tables match the schemas (run `npm run args`)", () => {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    assert.equal(readme, readmeWithTables(readme));
    for (const r of RESOURCES)
      assert.match(readme, new RegExp(`<!-- inputs:${r.kind} -->\\n\\| input \\| type \\| meaning \\|`));
  });

  it("says which inputs replace the resource and what the defaults are", () => {
    const vmgroup = generated["providers/vmgroup/args.ts"];
    // The doc comment right above `  <key>` in VmGroupArgs, as one line of text.
    const doc = (key: string) => {
      const m = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\n {2}${key}\\??: pulumi\\.Input`).exec(vmgroup);
      assert.ok(m, `no doc comment above ${key}`);
      return m[1]
        .replace(/\n\s*\* ?/g, " ")
        .replace(/\s+/g, " ")
        .trim();
    };
    assert.match(doc("template"), /Changing it replaces the resource\.$/);
    assert.match(doc("maxConcurrency"), /Default: `4`\.$/);
    assert.match(doc("memoryMB"), /^Memory per VM in MB/);
    assert.doesNotMatch(doc("replicas"), /replaces the resource/);
  });
});
