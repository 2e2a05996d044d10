// Python `%` string formatting ('%03d' % bb), which nunjucks reads as numeric modulo (NaN), rewritten into the `format`
// filter before compiling. Pure text transformation; only code inside tags is touched.

/** Template delimiters, as nunjucks names them. */
export interface Tags {
  blockStart: string;
  blockEnd: string;
  variableStart: string;
  variableEnd: string;
  commentStart: string;
  commentEnd: string;
}

export const DEFAULT_TAGS: Tags = {
  blockStart: "{%",
  blockEnd: "%}",
  variableStart: "{{",
  variableEnd: "}}",
  commentStart: "{#",
  commentEnd: "#}",
};

/**
 * Rewrites Python `%` string formatting inside tags into the `format` filter:
 * `('%03d' % bb)` → `('%03d' | format(bb))`, `'%s-%s' % (a, b|int)` → `('%s-%s' | format(a, b|int))`.
 * Only a string literal directly before `%` is rewritten, so numeric modulo keeps working. The right operand is what
 * Jinja binds tighter than `%`: an optional sign, a primary (name, literal, bracketed group), then attribute,
 * subscript and call postfixes and filters (`'%s' % host.split(".")[0]`, `'%03d' % name|replace("bb","")|int`).
 */
export function rewritePythonFormat(src: string, tags: Tags = DEFAULT_TAGS): string {
  let out = "";
  let pos = 0;
  const opens: [string, string, boolean][] = [
    [tags.commentStart, tags.commentEnd, false],
    [tags.blockStart, tags.blockEnd, true],
    [tags.variableStart, tags.variableEnd, true],
  ];
  for (;;) {
    let best: [number, string, string, boolean] | undefined;
    for (const [open, close, code] of opens) {
      const at = src.indexOf(open, pos);
      // Longer delimiters win a tie (e.g. "{%" vs a "{" based custom one).
      if (at >= 0 && (!best || at < best[0] || (at === best[0] && open.length > best[1].length)))
        best = [at, open, close, code];
    }
    if (!best) break;
    const [at, open, close, code] = best;
    const end = src.indexOf(close, at + open.length);
    if (end < 0) break;
    const inner = src.slice(at + open.length, end);
    out += src.slice(pos, at + open.length) + (code ? rewriteFormatIn(inner) : inner) + close;
    pos = end + close.length;
  }
  return out + src.slice(pos);
}

/** Index after the string literal starting at `i` (a quote), or -1 when it is not closed. */
function literalEnd(code: string, i: number): number {
  const q = code[i];
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === "\\") j++;
    else if (code[j] === q) return j + 1;
  }
  return -1;
}

/** Index after the bracketed group opening at `i`, quotes respected, or -1. */
function groupEnd(code: string, i: number): number {
  const closing: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const stack: string[] = [];
  for (let j = i; j < code.length; j++) {
    const c = code[j];
    if (c === '"' || c === "'") {
      const e = literalEnd(code, j);
      if (e < 0) return -1;
      j = e - 1;
    } else if (closing[c]) stack.push(closing[c]);
    else if (c === ")" || c === "]" || c === "}") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return j + 1;
    }
  }
  return -1;
}

/** End of the operand Jinja binds to the right of `%` (see rewritePythonFormat), or `i` when there is none. */
function operandEnd(code: string, i: number): number {
  let j = i;
  if (code[j] === "-" || code[j] === "+") j++;
  const c = code[j];
  if (c === '"' || c === "'") j = literalEnd(code, j);
  else if (c === "(" || c === "[" || c === "{") j = groupEnd(code, j);
  else {
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9_]*(?:\.[0-9_]+)?)/.exec(code.slice(j));
    j = m ? j + m[0].length : -1;
  }
  if (j < 0) return i;
  for (;;) {
    const attr = /^\s*\.\s*[A-Za-z_][A-Za-z0-9_]*/.exec(code.slice(j));
    const filter = /^\s*\|\s*[A-Za-z_][A-Za-z0-9_.]*/.exec(code.slice(j));
    if (code[j] === "(" || code[j] === "[") {
      const e = groupEnd(code, j);
      if (e < 0) return j;
      j = e;
    } else if (attr) j += attr[0].length;
    else if (filter) {
      j += filter[0].length;
      const call = /^\s*\(/.exec(code.slice(j));
      if (call) {
        const e = groupEnd(code, j + call[0].length - 1);
        if (e < 0) return j;
        j = e;
      }
    } else return j;
  }
}

/** True when `group` (e.g. "(a, b)") has a comma outside nested brackets and strings, i.e. is a tuple. */
function isTuple(group: string): boolean {
  let depth = 0;
  for (let j = 0; j < group.length; j++) {
    const c = group[j];
    if (c === '"' || c === "'") j = literalEnd(group, j) - 1;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) return true;
  }
  return false;
}

function rewriteFormatIn(code: string): string {
  let out = "";
  for (let i = 0; i < code.length;) {
    const c = code[i];
    if (c !== '"' && c !== "'") {
      out += c;
      i++;
      continue;
    }
    const end = literalEnd(code, i);
    if (end < 0) return out + code.slice(i);
    const literal = code.slice(i, end);
    const op = /^\s*%\s*/.exec(code.slice(end));
    const start = end + (op ? op[0].length : 0);
    const stop = op && literal.includes("%") ? operandEnd(code, start) : start;
    if (stop === start) {
      out += literal;
      i = end;
      continue;
    }
    const operand = rewriteFormatIn(code.slice(start, stop));
    const whole = operand[0] === "(" && groupEnd(operand, 0) === operand.length;
    const args = whole && isTuple(operand) ? operand.slice(1, -1).trim().replace(/,\s*$/, "") : operand;
    out += `(${literal} | format(${args}))`;
    i = stop;
  }
  return out;
}
