/** The package's own root folder and version, found from this file's location. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the package root (the folder holding package.json). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/[\\/]$/, "");

/** The `version` field of package.json. */
export function packageVersion(): string {
  const raw: unknown = JSON.parse(readFileSync(`${PACKAGE_ROOT}/package.json`, "utf8"));
  const version = (raw as { version?: unknown }).version;
  return typeof version === "string" ? version : "0.0.0";
}

/**
 * Absolute path of the module the conformance entry imports `prepareRun` from: the CLI's, which starts the
 * built-in reference target and hands the engine its description (external targets go straight to the engine).
 */
export const ENGINE_MODULE = fileURLToPath(new URL("./builtin-target.ts", import.meta.url));
