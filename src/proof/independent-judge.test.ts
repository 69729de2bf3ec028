/**
 * The judge is independent, as the import graph shows: nothing the reference target runs reaches the modules
 * with which the harness decides that a signature, a certificate chain or delegation evidence is valid, and
 * the engine reaches nothing of the reference target (the CLI starts it and hands the engine a target
 * description like any other). Type-only imports are erased at run time and do not count.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Run-time imports of a module: static value imports, re-exports, side-effect and dynamic imports. */
function runtimeImports(source: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s+"([^"]+)"/gms;
  for (const match of source.matchAll(statement)) {
    if (match[2]) continue;
    found.push(match[4]!);
  }
  for (const match of source.matchAll(/^\s*import\s+"([^"]+)"/gm)) found.push(match[1]!);
  for (const match of source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) found.push(match[1]!);
  return found;
}

function modulesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith(".ts") && !/\.(test|fixture)\.ts$/.test(entry.name),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module of src/ reachable at run time from `roots` (relative paths, `pki/chain.ts`). */
function reachable(roots: readonly string[]): Map<string, string> {
  const via = new Map<string, string>();
  const queue = roots.map((root) => ({ file: root, from: "" }));
  while (queue.length > 0) {
    const { file, from } = queue.shift()!;
    const key = relative(SRC, file);
    if (via.has(key)) continue;
    via.set(key, from);
    for (const specifier of runtimeImports(readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const target = resolve(dirname(file), specifier);
      if (target.startsWith(SRC)) queue.push({ file: target, from: key });
    }
  }
  return via;
}

/** `a.ts ← b.ts ← c.ts`: how `module` was reached. */
function path(via: Map<string, string>, module: string): string {
  const steps = [module];
  for (let at = via.get(module); at; at = via.get(at)) steps.push(at);
  return steps.join(" ← ");
}

/** The harness's judges: whatever decides that a chain, a signature, a signer or evidence is valid. */
const HARNESS_JUDGES = [
  "pki/chain.ts",
  "pki/trusted-list.ts",
  "pki/key-problems.ts",
  "jwt/verify.ts",
  "delegation/evaluate.ts",
  "delegation/echo.ts",
];

describe("the independent judge", () => {
  it("finds run-time imports and ignores type-only ones", () => {
    const source = [
      'import type { A } from "./a.ts";',
      'import { type B, c } from "./c.ts";',
      'export { d } from "./d.ts";',
      'export type { E } from "./e.ts";',
      'import "./f.ts";',
      'const g = await import("./g.ts");',
      'import {\n  h,\n  i,\n} from "./h.ts";',
    ].join("\n");
    expect(runtimeImports(source).sort()).toEqual(["./c.ts", "./d.ts", "./f.ts", "./g.ts", "./h.ts"]);
  });

  it("the reference target reaches none of the harness's judges, nor the checks or the engine", () => {
    const via = reachable(modulesUnder(join(SRC, "reference")));
    const shared = [...via.keys()].filter(
      (module) =>
        HARNESS_JUDGES.includes(module) || module.startsWith("checks/") || module.startsWith("engine/"),
    );
    expect(shared.map((module) => path(via, module))).toEqual([]);
    // It does have a judge of its own.
    expect(via.has("reference/certificate-judge.ts")).toBe(true);
  });

  it("the harness's checks reach none of the reference target's modules", () => {
    const via = reachable(modulesUnder(join(SRC, "checks")));
    const crossing = [...via.keys()].filter((module) => module.startsWith("reference/"));
    expect(crossing.map((module) => path(via, module))).toEqual([]);
    expect(via.has("pki/chain.ts") && via.has("jwt/verify.ts")).toBe(true);
  });

  it("the engine reaches nothing of the reference target: the CLI starts it and describes it as a target", () => {
    const via = reachable(modulesUnder(join(SRC, "engine")));
    const crossing = [...via.keys()].filter((module) => module.startsWith("reference/"));
    expect(crossing.map((module) => path(via, module))).toEqual([]);
    const cli = reachable([join(SRC, "cli", "builtin-target.ts")]);
    expect(cli.has("reference/server.ts") && cli.has("engine/index.ts")).toBe(true);
  });
});
