/** Edits of a JSON request body at dotted paths: remove a member or element, or set a value (strings templated). */
import { parsePath } from "../checks/json-path.ts";
import { HarnessError } from "../errors.ts";
import type { JsonEdit } from "../model/suite.ts";

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === "object" && value !== null;

/** The parent of the last segment of `path` in `root`, with that segment; a harness error when absent. */
function locate(root: unknown, path: string, edit: string): { parent: Container; key: string | number } {
  const parts = parsePath(path);
  const key = parts.pop();
  if (key === undefined) throw new HarnessError("HARNESS", `${edit}: empty path`);
  let current: unknown = root;
  for (const part of parts) {
    const next =
      typeof part === "number"
        ? Array.isArray(current)
          ? current[part]
          : undefined
        : isContainer(current) && !Array.isArray(current) && Object.hasOwn(current, part)
          ? current[part]
          : undefined;
    if (!isContainer(next)) {
      throw new HarnessError("HARNESS", `${edit}: the body has no object or array at "${part}" of ${path}`);
    }
    current = next;
  }
  if (!isContainer(current)) throw new HarnessError("HARNESS", `${edit}: the body is not an object`);
  return { parent: current, key };
}

/**
 * Applies `edits` in order to a copy of `body`. `remove` needs the member (or element) to exist, so an edit
 * that no longer fits the body is a harness error, never a silent no-op; `set` needs its parent to exist.
 */
export function applyEdits(body: unknown, edits: readonly JsonEdit[]): unknown {
  const root = structuredClone(body);
  for (const edit of edits) {
    if ("remove" in edit) {
      const { parent, key } = locate(root, edit.remove, `edit remove "${edit.remove}"`);
      if (Array.isArray(parent) && typeof key === "number" && key < parent.length) parent.splice(key, 1);
      else if (!Array.isArray(parent) && typeof key === "string" && Object.hasOwn(parent, key))
        delete parent[key];
      else throw new HarnessError("HARNESS", `edit remove "${edit.remove}": the body has no such member`);
    } else {
      const { parent, key } = locate(root, edit.set, `edit set "${edit.set}"`);
      if (Array.isArray(parent) !== (typeof key === "number")) {
        throw new HarnessError("HARNESS", `edit set "${edit.set}": the path does not fit the body's shape`);
      }
      (parent as Record<string | number, unknown>)[key] = structuredClone(edit.value);
    }
  }
  return root;
}
