/** Minimal dotted paths into parsed JSON: `a.b[0].c`, `parties_info.data[2].party_id`. */

export type PathLookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const SEGMENT = /([^.[\]]+)|\[(\d+)\]/g;

/** Splits `a.b[0]` into `["a", "b", 0]`. */
export function parsePath(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const match of path.matchAll(SEGMENT)) {
    if (match[2] !== undefined) parts.push(Number(match[2]));
    else if (match[1] !== undefined) parts.push(match[1]);
  }
  return parts;
}

/** Looks up `path` in `value`; `found: false` when any step is missing. Own properties only. */
export function lookup(value: unknown, path: string): PathLookup {
  let current: unknown = value;
  for (const part of parsePath(path)) {
    if (typeof part === "number") {
      if (!Array.isArray(current) || part >= current.length) return { found: false };
      current = current[part];
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current)) return { found: false };
      if (!Object.hasOwn(current, part)) return { found: false };
      current = (current as Record<string, unknown>)[part];
    }
  }
  return { found: true, value: current };
}
