/** Checks `--out` before a run starts: it must be a folder, or a path where one can be made. */
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { usageError } from "./args.ts";

/** @throws a usage error (exit 2) when `dir` or one of its parents is an existing non-folder. */
export function assertOutputFolder(command: string, dir: string): void {
  for (let path = dir; ; path = dirname(path)) {
    let isDirectory: boolean | undefined;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      isDirectory = undefined;
    }
    if (isDirectory === false) {
      const what = path === dir ? dir : `${path} (in ${dir})`;
      throw usageError(
        command,
        `--out ${what} is a file, not a folder; pass a folder for the reports (it is created when missing)`,
      );
    }
    if (isDirectory === true || dirname(path) === path) return;
  }
}
