import { badRequest } from "../http-error.js";

/**
 * Parses the Rows `query` filter. DealCloud's samples use relaxed JSON: unquoted keys (`{entryid: 3047024}`,
 * `{$or: [...]}`), besides strict JSON (catalogue §1 "Filter query syntax"). Accepted: objects, arrays, double-
 * or single-quoted strings, numbers, true/false/null, and bare identifiers (letters, digits, `_`, `$`, `.`) as
 * keys. A malformed filter is a 400 that points at the position.
 */
export function parseRelaxedJson(text: string): unknown {
  let position = 0;
  const fail = (what: string): never =>
    badRequest(`The query filter is not valid: ${what} at position ${position} of ${JSON.stringify(text)}.`);
  const skipSpace = () => {
    while (position < text.length && /\s/.test(text[position]!)) position++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[position] !== char) fail(`expected "${char}"`);
    position++;
  };

  function string(): string {
    const quote = text[position]!;
    let out = "";
    position++;
    while (position < text.length && text[position] !== quote) {
      const char = text[position]!;
      if (char === "\\") {
        const next = text[position + 1];
        const escapes: Record<string, string> = {
          n: "\n",
          t: "\t",
          r: "\r",
          b: "\b",
          f: "\f",
          "/": "/",
          "\\": "\\",
          '"': '"',
          "'": "'",
        };
        if (next === "u") {
          out += String.fromCharCode(parseInt(text.slice(position + 2, position + 6), 16));
          position += 6;
          continue;
        }
        if (next === undefined || !(next in escapes)) fail("unknown escape");
        out += escapes[next!];
        position += 2;
        continue;
      }
      out += char;
      position++;
    }
    if (position >= text.length) fail("unterminated string");
    position++;
    return out;
  }

  function word(): string {
    const match = /^[A-Za-z0-9_$.+-]+/.exec(text.slice(position));
    if (!match) return fail("unexpected character");
    position += match[0].length;
    return match[0];
  }

  function value(): unknown {
    skipSpace();
    const char = text[position];
    if (char === undefined) return fail("unexpected end");
    if (char === "{") return object();
    if (char === "[") return array();
    if (char === '"' || char === "'") return string();
    const bare = word();
    if (bare === "true") return true;
    if (bare === "false") return false;
    if (bare === "null") return null;
    const number = Number(bare);
    if (bare !== "" && Number.isFinite(number) && /^-?\d/.test(bare)) return number;
    return fail(`unquoted value ${JSON.stringify(bare)}`);
  }

  function object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    position++;
    skipSpace();
    if (text[position] === "}") {
      position++;
      return out;
    }
    for (;;) {
      skipSpace();
      const char = text[position];
      const key = char === '"' || char === "'" ? string() : word();
      expect(":");
      out[key] = value();
      skipSpace();
      if (text[position] === ",") {
        position++;
        continue;
      }
      expect("}");
      return out;
    }
  }

  function array(): unknown[] {
    const out: unknown[] = [];
    position++;
    skipSpace();
    if (text[position] === "]") {
      position++;
      return out;
    }
    for (;;) {
      out.push(value());
      skipSpace();
      if (text[position] === ",") {
        position++;
        continue;
      }
      expect("]");
      return out;
    }
  }

  const result = value();
  skipSpace();
  if (position < text.length) fail("unexpected text after the filter");
  return result;
}
