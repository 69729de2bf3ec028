/**
 * `{{field.<2.0 name>}}` in suites: member and parameter names that differ between iSHARE versions
 * (model/field-names.ts). They are replaced once per run, in strings and in object keys, by the target
 * version's spelling, before any request is built or check runs.
 */
import { fieldName, isVersionedField } from "../model/field-names.ts";
import type { IshareVersion } from "../model/target.ts";

const FIELD = /\{\{\s*field\.([A-Za-z0-9_#]+)\s*\}\}/g;

function visit(value: unknown, onString: (text: string) => void): void {
  if (typeof value === "string") onString(value);
  else if (Array.isArray(value)) for (const item of value) visit(item, onString);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      onString(key);
      visit(item, onString);
    }
  }
}

/** Names used in `{{field.X}}` placeholders anywhere in `value` (strings and keys). */
export function fieldPlaceholdersIn(value: unknown): Set<string> {
  const found = new Set<string>();
  visit(value, (text) => {
    for (const match of text.matchAll(FIELD)) if (match[1]) found.add(match[1]);
  });
  return found;
}

function replaceIn(text: string, version: IshareVersion): string {
  return text.replace(FIELD, (whole, name: string) =>
    isVersionedField(name) ? fieldName(version, name) : whole,
  );
}

/** `value` with every `{{field.X}}` (in strings and object keys) replaced by `version`'s name for X. */
export function applyFieldNames<T>(value: T, version: IshareVersion): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return replaceIn(item, version);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === "object") {
      return Object.fromEntries(
        Object.entries(item).map(([key, inner]) => [replaceIn(key, version), walk(inner)]),
      );
    }
    return item;
  };
  return walk(value) as T;
}
