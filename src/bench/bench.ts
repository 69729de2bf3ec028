/**
 * `ishare-conformance bench`: the harness's cost against a bare script, each a process of its own, started
 * the same way (node + tsx), run one after the other in each round so both see the same machine load:
 * (a) `run --target reference --no-html` through the real CLI; (b) the bare script: the same setup (test PKI,
 * reference target) and as many token exchanges with undici + jose; (h) the HTML report of (a), generated
 * alone (`report`); (t) `run --all --no-html` over ten reference targets. Prints medians of wall and CPU
 * time and the ratios a/b (target ≤ 2×) and t/a (target ≤ 4×); asserts nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../cli/io.ts";
import { PACKAGE_ROOT } from "../cli/package-info.ts";
import { loadTargetsFile, pickTarget } from "../config/targets.ts";
import { DEFAULT_CONCURRENCY } from "../engine/resolve-target.ts";
import type { RunSummary } from "../report/summary.ts";
import { type ProcessTime, timeProcess } from "./process-time.ts";

const BIN = fileURLToPath(new URL("../cli/bin.js", import.meta.url));
const BASELINE = fileURLToPath(new URL("./baseline-main.ts", import.meta.url));

/** Targets of the benchmark's ten-target run. */
export const TEN_TARGETS = 10;

export interface BenchOptions {
  readonly runs: number;
  readonly io: CliIo;
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A targets file with `count` built-in reference targets (`reference-1` …). */
export function tenTargetsYaml(count: number): string {
  const entries = Array.from({ length: count }, (_, i) => `  reference-${i + 1}:\n    builtin: reference\n`);
  return `defaults:\n  concurrency: 4\ntargets:\n${entries.join("")}`;
}

interface Measured extends ProcessTime {
  readonly summary?: RunSummary;
}

const readSummary = (out: string): Promise<RunSummary | undefined> =>
  readFile(join(out, "summary.json"), "utf8").then(
    (text) => JSON.parse(text) as RunSummary,
    () => undefined,
  );

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : "n/a");
const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : "n/a";
const verdict = (a: number, b: number, limit: number): string =>
  b > 0 && Number.isFinite(a / b)
    ? a / b <= limit
      ? `within the ${limit}x target`
      : `OVER the ${limit}x target`
    : "";

/** Runs the benchmark and prints the numbers. */
export async function runBench(options: BenchOptions): Promise<void> {
  const { io, runs } = options;
  const print = (line = ""): void => {
    io.stdout.write(`${line}\n`);
  };
  const targets = loadTargetsFile(join(PACKAGE_ROOT, "targets.yaml"));
  const reference = pickTarget(targets, "reference");
  const concurrency = reference.concurrency ?? targets.defaults.concurrency ?? DEFAULT_CONCURRENCY;
  const work = await mkdtemp(join(tmpdir(), "ishare-bench-"));
  const tenFile = join(work, "ten-targets.yaml");
  await writeFile(tenFile, tenTargetsYaml(TEN_TARGETS), "utf8");
  const node = process.execPath;
  const full: Measured[] = [];
  const bare: ProcessTime[] = [];
  const html: ProcessTime[] = [];
  const ten: Measured[] = [];
  try {
    print(`${runs} rounds; each: (a) run --target reference --no-html, (b) the bare script, (h) the HTML`);
    print(
      `report of (a), (t) run --all --no-html over ${TEN_TARGETS} reference targets. Processes started alike.`,
    );
    for (let round = 1; round <= runs; round++) {
      const out = join(work, `full-${round}`);
      const a = await timeProcess(node, [BIN, "run", "--target", "reference", "--no-html", "--out", out], {
        cwd: PACKAGE_ROOT,
      });
      const summary = await readSummary(out);
      full.push({ ...a, ...(summary ? { summary } : {}) });
      const cases = summary?.cases.length ?? 82;
      const b = await timeProcess(node, ["--import", "tsx", BASELINE, String(cases), String(concurrency)], {
        cwd: PACKAGE_ROOT,
      });
      bare.push(b);
      html.push(await timeProcess(node, [BIN, "report", "--out", out], { cwd: PACKAGE_ROOT }));
      const tenOut = join(work, `ten-${round}`);
      const t = await timeProcess(
        node,
        [BIN, "run", "--all", "--targets", tenFile, "--no-html", "--out", tenOut],
        {
          cwd: PACKAGE_ROOT,
        },
      );
      const tenSummary = await readSummary(tenOut);
      ten.push({ ...t, ...(tenSummary ? { summary: tenSummary } : {}) });
      const totals = (m: Measured): string =>
        m.summary ? JSON.stringify(m.summary.totals) : "no summary.json";
      print(
        `  round ${round}: (a) ${ms(a.wallMs)} wall, ${ms(a.cpuMs)} CPU, exit ${a.exitCode} ${totals(full.at(-1)!)}`,
      );
      print(`           (b) ${ms(b.wallMs)} wall, ${ms(b.cpuMs)} CPU, exit ${b.exitCode} ${b.stdout.trim()}`);
      print(`           (h) ${ms(html.at(-1)!.wallMs)} wall, ${ms(html.at(-1)!.cpuMs)} CPU`);
      print(
        `           (t) ${ms(t.wallMs)} wall, ${ms(t.cpuMs)} CPU, exit ${t.exitCode} ${totals(ten.at(-1)!)}`,
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const wall = (list: readonly ProcessTime[]): number => median(list.map((m) => m.wallMs));
  const cpu = (list: readonly ProcessTime[]): number => median(list.map((m) => m.cpuMs));
  const cases = full.find((m) => m.summary)?.summary?.cases.length ?? 0;
  const tenCases = ten.find((m) => m.summary)?.summary?.cases.length ?? 0;
  print();
  print(`medians                              wall        CPU`);
  print(
    `(a) full run, ${String(cases).padEnd(3)} cases, no HTML   ${ms(wall(full)).padStart(9)}  ${ms(cpu(full)).padStart(9)}`,
  );
  print(`(b) bare script, same exchanges      ${ms(wall(bare)).padStart(9)}  ${ms(cpu(bare)).padStart(9)}`);
  print(`(h) HTML report alone                ${ms(wall(html)).padStart(9)}  ${ms(cpu(html)).padStart(9)}`);
  print(
    `(t) ${TEN_TARGETS} targets, ${String(tenCases).padEnd(4)} cases, no HTML ${ms(wall(ten)).padStart(9)}  ${ms(cpu(ten)).padStart(9)}`,
  );
  print();
  print(
    `ratio (a)/(b) full run / bare script: wall ${ratio(wall(full), wall(bare))}, CPU ${ratio(cpu(full), cpu(bare))} (${verdict(wall(full), wall(bare), 2)} on wall time)`,
  );
  print(
    `ratio (t)/(a) ${TEN_TARGETS} targets / one target:    wall ${ratio(wall(ten), wall(full))}, CPU ${ratio(cpu(ten), cpu(full))} (${verdict(wall(ten), wall(full), 4)} on wall time)`,
  );
  if (cases > 0) {
    print(
      `per case: (a) ${(wall(full) / cases).toFixed(1)} ms wall, (b) ${(wall(bare) / cases).toFixed(1)} ms wall`,
    );
  }
}
