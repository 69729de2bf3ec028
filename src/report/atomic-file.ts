/**
 * Reports written atomically: whole into a temporary sibling, then renamed into place, so that a reader, a
 * killed process or a second Ctrl-C never leaves a report half written (it is either the old state or whole).
 */
import { rename, rm, writeFile } from "node:fs/promises";

/** The temporary sibling a report is written to before it is renamed into place. */
export const partialPath = (path: string): string => `${path}.partial`;

/** Writes `text` to `path` atomically. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const partial = partialPath(path);
  await writeFile(partial, text, "utf8");
  await rename(partial, path);
}

/** Moves a finished file or folder from `from` into `path`, replacing what was there. */
export async function moveIntoPlace(from: string, path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await rename(from, path);
}
