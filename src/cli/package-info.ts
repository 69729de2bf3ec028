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

/** Absolute path of the engine module the conformance entry imports `prepareRun` from. */
export const ENGINE_MODULE = fileURLToPath(new URL("../engine/index.ts", import.meta.url));
