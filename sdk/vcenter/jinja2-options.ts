// Which `jinja2_options` (Jinja Environment attributes, set per VCenterTemplate) the renderer honours. No engine
// here: sdk/schemas uses it for check(), templates.ts to configure nunjucks.
import type { Tags } from "./pyformat";

// Jinja Environment attribute → nunjucks option. Only these change how a template is read.
export const TAG_OPTIONS: Record<string, keyof Tags> = {
  block_start_string: "blockStart",
  block_end_string: "blockEnd",
  variable_start_string: "variableStart",
  variable_end_string: "variableEnd",
  comment_start_string: "commentStart",
  comment_end_string: "commentEnd",
};
export const FLAG_OPTIONS: Record<string, string> = {
  trim_blocks: "trimBlocks",
  lstrip_blocks: "lstripBlocks",
  autoescape: "autoescape",
};
// Jinja Environment attributes nunjucks has no equivalent for, which change how a template is read: ignoring them would
// render something else than sapcc does.
const UNSUPPORTED_OPTIONS = ["line_statement_prefix", "line_comment_prefix"];

/**
 * Problems with a `jinja2_options` mapping, as [key, reason]: delimiters that are not non-empty strings, a key ending
 * in `_string` that is none of Jinja's six delimiter attributes (a typo such as `variable_begin_string` would otherwise
 * be ignored and the template read with `{{ }}`), and line statement/comment prefixes, which nunjucks cannot read.
 * Other keys are ignored, as sapcc ignores keys that are not Environment attributes.
 */
export function jinja2OptionErrors(options: Record<string, unknown> = {}): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(options)) {
    if (k in TAG_OPTIONS) {
      if (typeof v !== "string" || v === "") out.push([k, "must be a non-empty string"]);
    } else if (k.endsWith("_string")) {
      out.push([k, `is not a Jinja delimiter option; known: ${Object.keys(TAG_OPTIONS).join(", ")}`]);
    } else if (UNSUPPORTED_OPTIONS.includes(k) && v !== null && v !== undefined && v !== "") {
      out.push([k, "is not supported by this renderer (nunjucks has no line statements)"]);
    }
  }
  return out;
}
