/**
 * Finds the project's shared folder (spec digest, seeds) beside the repository: ISHARE_SHARED_DIR, else
 * <repo>/../shared, else /work/shared. Tests that need it skip with the reason when none exists.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The candidate folders, in the order they are tried. */
export function sharedDirCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env["ISHARE_SHARED_DIR"];
  return [...(fromEnv ? [resolve(fromEnv)] : []), resolve(REPO_ROOT, "../shared"), "/work/shared"];
}

/** The shared folder, or the reason none was found (for `it.skipIf` titles). */
export function findSharedDir(
  env: NodeJS.ProcessEnv = process.env,
): { readonly dir: string } | { readonly reason: string } {
  const candidates = sharedDirCandidates(env);
  const dir = candidates.find((candidate) => existsSync(join(candidate, "seeds")));
  return dir
    ? { dir }
    : { reason: `no shared folder with seeds/ (set ISHARE_SHARED_DIR; tried ${candidates.join(", ")})` };
}

/** The path of the seed file whose name starts with `prefix` (e.g. `004_`), if any. */
export function seedFile(dir: string, prefix: string): string | undefined {
  const name = readdirSync(join(dir, "seeds")).find((file) => file.startsWith(prefix));
  return name ? join(dir, "seeds", name) : undefined;
}
