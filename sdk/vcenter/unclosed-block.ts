// Where a template that ends inside a block opened it: nunjucks reports no position for that error, so the block's
// opening line is found with nunjucks' own lexer (same delimiters as the template's Environment).
import * as nunjucks from "nunjucks";
import { DEFAULT_TAGS, Tags } from "./pyformat";

// Block tags that need an end tag. `set` only in its block form (no `=`).
const BLOCK_TAGS = new Set([
  "if",
  "for",
  "asyncEach",
  "asyncAll",
  "macro",
  "call",
  "filter",
  "block",
  "switch",
  "set",
  "raw",
  "verbatim",
]);

/** The innermost block tag left open at the end of `text` (tag name and 1-based line), read with nunjucks' lexer. */
export function unclosedBlock(text: string, tags: Tags = DEFAULT_TAGS): { tag: string; line: number } | undefined {
  const lexer = (
    nunjucks as unknown as {
      lexer: {
        lex(src: string, opts: unknown): { nextToken(): Token | null };
        TOKEN_BLOCK_START: string;
        TOKEN_BLOCK_END: string;
        TOKEN_WHITESPACE: string;
        TOKEN_OPERATOR: string;
      };
    }
  ).lexer;
  const stack: { tag: string; line: number }[] = [];
  try {
    const tokens = lexer.lex(text, { tags });
    let tok: Token | null;
    while ((tok = tokens.nextToken())) {
      if (tok.type !== lexer.TOKEN_BLOCK_START) continue;
      const line = tok.lineno + 1;
      let name = tokens.nextToken();
      while (name && name.type === lexer.TOKEN_WHITESPACE) name = tokens.nextToken();
      if (!name) break;
      const tag = String(name.value);
      let assigns = false;
      let t: Token | null;
      while ((t = tokens.nextToken()) && t.type !== lexer.TOKEN_BLOCK_END)
        if (t.type === lexer.TOKEN_OPERATOR && t.value === "=") assigns = true;
      if (tag.startsWith("end")) {
        const at = stack.map((s) => s.tag).lastIndexOf(tag.slice(3));
        if (at >= 0) stack.length = at;
      } else if (BLOCK_TAGS.has(tag) && !(tag === "set" && assigns)) {
        stack.push({ tag, line });
      }
      if (!t) break;
    }
  } catch {
    // The lexer fails on what the parser already reported; keep what was found.
  }
  return stack[stack.length - 1];
}

interface Token {
  type: string;
  value: unknown;
  lineno: number;
}
