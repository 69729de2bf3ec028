/** `{{name.path}}` placeholders in suite strings, rendered from a run's variables. */
import { HarnessError } from "../errors.ts";

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_.[\]-]*)\s*\}\}/g;

/** Looks a dotted name up; `undefined` when unknown. */
export type VariableLookup = (name: string) => string | undefined;

/** Names of the placeholders used anywhere in `value` (strings, arrays and objects, recursively). */
export function placeholdersIn(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    for (const match of value.matchAll(PLACEHOLDER)) if (match[1]) found.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) placeholdersIn(item, found);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) placeholdersIn(item, found);
  }
  return found;
}

/** Replaces every placeholder in `template`; an unknown name is a harness error naming it. */
export function renderString(template: string, lookup: VariableLookup): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = lookup(name);
    if (value === undefined)
      throw new HarnessError("HARNESS", `unknown placeholder {{${name}}} in "${template}"`);
    return value;
  });
}

/** Renders every string inside `value`, keeping its shape. */
export function renderDeep(value: unknown, lookup: VariableLookup): unknown {
  if (typeof value === "string") return renderString(value, lookup);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, lookup));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, lookup)]));
  }
  return value;
}
