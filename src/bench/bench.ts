/**
 * `ishare-conformance bench`: (a) wall time of a full `run --target reference` through the real CLI
 * (a child process: tsx, vitest, reports), (b) the same number of token exchanges with undici + jose
 * alone. Prints medians, the ratio and the cost per case; asserts nothing.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../cli/io.ts";
import { PACKAGE_ROOT } from "../cli/package-info.ts";
import { loadTargetsFile, pickTarget } from "../config/targets.ts";
import { DEFAULT_CONCURRENCY } from "../engine/resolve-target.ts";
import type { RunSummary } from "../report/summary.ts";
import { runBaseline } from "./baseline.ts";

const BIN = fileURLToPath(new URL("../cli/bin.js", import.meta.url));

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

interface FullRun {
  readonly wallMs: number;
  readonly exitCode: number;
  readonly summary?: RunSummary;
}

async function fullRun(): Promise<FullRun> {
  const out = await mkdtemp(join(tmpdir(), "ishare-bench-"));
  const started = performance.now();
  const exitCode = await new Promise<number>((resolve) => {
    execFile(
      process.execPath,
      [BIN, "run", "--target", "reference", "--out", out],
      { cwd: PACKAGE_ROOT, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 },
      (error) => resolve(error ? (typeof error.code === "number" ? error.code : 1) : 0),
    );
  });
  const wallMs = performance.now() - started;
  const summary = await readFile(join(out, "summary.json"), "utf8").then(
    (text) => JSON.parse(text) as RunSummary,
    () => undefined,
  );
  await rm(out, { recursive: true, force: true });
  return { wallMs, exitCode, ...(summary ? { summary } : {}) };
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

/** Runs the benchmark and prints the numbers. */
export async function runBench(options: BenchOptions): Promise<void> {
  const { io, runs } = options;
  const print = (line = ""): void => {
    io.stdout.write(`${line}\n`);
  };
  const targets = loadTargetsFile(join(PACKAGE_ROOT, "targets.yaml"));
  const reference = pickTarget(targets, "reference");
  const concurrency = reference.concurrency ?? targets.defaults.concurrency ?? DEFAULT_CONCURRENCY;

  print(`(a) full run: ishare-conformance run --target reference (child process), ${runs} runs`);
  const full: FullRun[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await fullRun();
    full.push(run);
    const totals = run.summary ? JSON.stringify(run.summary.totals) : "no summary.json";
    print(`    run ${i + 1}: ${ms(run.wallMs)} (exit ${run.exitCode}, ${totals})`);
  }
  const cases = full.find((run) => run.summary)?.summary?.cases.length ?? 0;
  const fullMs = median(full.map((run) => run.wallMs));

  print(
    `(b) baseline: reference target + ${cases} token exchanges with undici + jose, concurrency ${concurrency}`,
  );
  const base: { totalMs: number; exchangesMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const times = await runBaseline(cases, concurrency);
    base.push({ totalMs: times.setupMs + times.exchangesMs, exchangesMs: times.exchangesMs });
    print(
      `    run ${i + 1}: ${ms(times.setupMs + times.exchangesMs)} (setup ${ms(times.setupMs)}, ` +
        `exchanges ${ms(times.exchangesMs)}, ${times.ok}/${cases} answered 200)`,
    );
  }
  const baseMs = median(base.map((b) => b.totalMs));
  const exchangesMs = median(base.map((b) => b.exchangesMs));

  print();
  print(`cases                         ${cases}`);
  print(`(a) full run, median          ${ms(fullMs)}`);
  const vitestPhase = median(full.flatMap((run) => (run.summary ? [run.summary.durationMs] : [])));
  print(
    `    of which the vitest phase    ${ms(vitestPhase)} (PKI, target start, cases; summary.json durationMs)`,
  );
  print(
    `    the rest                     ${ms(fullMs - vitestPhase)} (node + tsx start, config check, HTML report)`,
  );
  print(`(b) baseline, median          ${ms(baseMs)} (exchanges alone ${ms(exchangesMs)})`);
  print(`ratio (a)/(b)                 ${(fullMs / baseMs).toFixed(1)}x`);
  if (cases > 0) {
    print(`per case: full run            ${(fullMs / cases).toFixed(1)} ms`);
    print(`per case: baseline exchange   ${(exchangesMs / cases).toFixed(1)} ms`);
    print(`per case: harness overhead    ${((fullMs - baseMs) / cases).toFixed(1)} ms`);
  }
}
