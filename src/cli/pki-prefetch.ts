/**
 * Starts generating the built-in target's test PKI as soon as `run` knows it will need one, while the rest
 * of the CLI, the engine and vitest load: RSA key generation runs in libuv's thread pool, so it overlaps
 * with module loading instead of holding up the first case. The PKI is written (keys mode 0600) to a
 * private temporary folder that the vitest worker reads, and removed when the run ends.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { readRegularFile } from "../config/regular-file.ts";

export interface PrefetchedPki {
  /** The folder holding the PKI, or undefined when none was needed or making it failed (the worker then makes its own). */
  readonly dir: Promise<string | undefined>;
  /** Removes the folder (at once, or as soon as it is written: a configuration error need not wait for keys). */
  dispose(): Promise<void>;
}

/** Whether any of `names` is a built-in (`builtin:`) entry of the targets file; false when it cannot tell. */
export function needsBuiltinPki(targetsFile: string, names: readonly string[] | "all"): boolean {
  try {
    const raw = parse(readRegularFile(targetsFile)) as { targets?: Record<string, unknown> } | null;
    const targets = raw?.targets ?? {};
    const chosen = names === "all" ? Object.keys(targets) : names;
    return chosen.some((name) => {
      const entry = targets[name];
      return typeof entry === "object" && entry !== null && "builtin" in entry;
    });
  } catch {
    // The configuration check that follows names the problem (a FIFO or /dev/zero is refused there too).
    return false;
  }
}

/** Generates and writes a test PKI in the background when `needed`. Never rejects. */
export function prefetchTestPki(needed: boolean): PrefetchedPki {
  if (!needed) return { dir: Promise.resolve(undefined), async dispose() {} };
  let folder: string | undefined;
  let disposed = false;
  const remove = async (): Promise<void> => {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  };
  const dir = (async (): Promise<string | undefined> => {
    const { generateTestPki, writeTestPki } = await import("../pki/index.ts");
    const pki = await generateTestPki();
    if (disposed) return undefined;
    folder = await mkdtemp(join(tmpdir(), "ishare-run-pki-"));
    await writeTestPki(pki, folder);
    if (disposed) await remove();
    return folder;
  })().catch(() => undefined);
  return {
    dir,
    async dispose() {
      disposed = true;
      await remove();
    },
  };
}
