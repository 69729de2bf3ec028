/** Plain-text formatting of case lines and the totals table for the console. */
import type { Outcome } from "../model/result.ts";
import { createStyle, type Style, styleOutcome } from "./style.ts";
import type { Totals } from "./summary.ts";

const LABELS: Partial<Record<string, string>> = {
  passed: "PASS",
  failed: "FAIL",
  broken: "BROKEN",
  skipped: "SKIP",
};

/** PASS, FAIL, BROKEN, SKIP; an outcome this build does not know in capitals. */
const labelOf = (status: string): string => LABELS[status] ?? status.toUpperCase();

/** `[ 7/82]`: cases finished so far out of those planned. */
export function formatProgress(done: number, total: number): string {
  const width = String(total).length;
  return `[${String(done).padStart(width)}/${total}]`;
}
const LABEL_WIDTH = 6;

/** What one console line says about a finished case. */
export interface CaseLine {
  readonly status: Outcome;
  /** The target, shown when a run has several. */
  readonly target?: string;
  /** `<id> <title>`. */
  readonly name: string;
  readonly durationMs: number;
  /** Failure, breakage or skip reason. */
  readonly message: string;
  readonly warnings: readonly string[];
}

/** Human duration: `3 ms`, `1.24 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim();

/**
 * `PASS   TOKEN-001 Valid request (3 ms)`, `FAIL   TOKEN-004 … (5 ms) — <message>`,
 * `SKIP   … — <reason>`, with `— 2 warnings: a; b` after a passed case that has warnings.
 */
export function formatCaseLine(line: CaseLine, style: Style = createStyle(false)): string {
  const label = styleOutcome(style, line.status, labelOf(line.status).padEnd(LABEL_WIDTH));
  const target = line.target === undefined ? "" : `${style.bold(line.target)} `;
  let text = `${label} ${target}${line.name} ${style.dim(`(${formatDuration(line.durationMs)})`)}`;
  if (line.status !== "passed" && line.message !== "") text += ` — ${oneLine(line.message)}`;
  if (line.warnings.length > 0) {
    const noun = line.warnings.length === 1 ? "warning" : "warnings";
    text += ` — ${line.warnings.length} ${noun}: ${line.warnings.map(oneLine).join("; ")}`;
  }
  return text;
}

/** One recap line per failed or broken case (or any outcome other than passed and skipped), in order. */
export function formatRecap(
  cases: readonly {
    readonly target: string;
    readonly id: string;
    readonly title: string;
    readonly status: Outcome;
    readonly message: string;
  }[],
  showTarget: boolean,
  style: Style = createStyle(false),
): string[] {
  const bad = cases.filter((c) => c.status !== "passed" && c.status !== "skipped");
  if (bad.length === 0) return [];
  const noun = bad.length === 1 ? "case" : "cases";
  return [
    style.bold(`${bad.length} ${noun} failed or broke:`),
    ...bad.map((c) => {
      const label = styleOutcome(style, c.status, labelOf(c.status).padEnd(LABEL_WIDTH));
      const target = showTarget ? `${c.target} ` : "";
      return `  ${label} ${target}${c.id} ${c.title} — ${oneLine(c.message)}`;
    }),
  ];
}

/**
 * The end-of-run table:
 * ```
 * passed   12
 * failed    1
 * broken    0
 * skipped   2
 * total    15
 * duration 3.21 s
 * ```
 */
export function formatTotalsTable(
  totals: Totals,
  durationMs: number,
  style: Style = createStyle(false),
): string[] {
  const total = totals.passed + totals.failed + totals.broken + totals.skipped;
  const rows: [string, string, (text: string) => string][] = [
    ["passed", String(totals.passed), totals.passed > 0 ? style.passed : style.dim],
    ["failed", String(totals.failed), totals.failed > 0 ? style.failed : style.dim],
    ["broken", String(totals.broken), totals.broken > 0 ? style.broken : style.dim],
    ["skipped", String(totals.skipped), totals.skipped > 0 ? style.skipped : style.dim],
    ["total", String(total), style.bold],
  ];
  const width = Math.max(...rows.map(([, value]) => value.length));
  const lines = rows.map(([name, value, paint]) => `${name.padEnd(9)}${paint(value.padStart(width))}`);
  lines.push(`${"duration".padEnd(9)}${formatDuration(durationMs)}`);
  return lines;
}

/**
 * Per-target totals of a run with several targets:
 * ```
 * target          passed failed broken skipped
 * reference           81      0      0       1
 * reference-2.1       80      1      0       1
 * ```
 */
export function formatTargetTotals(
  targets: readonly { readonly name: string; readonly totals: Totals }[],
  style: Style = createStyle(false),
): string[] {
  const columns = ["passed", "failed", "broken", "skipped"] as const;
  const nameWidth = Math.max("target".length, ...targets.map((t) => t.name.length)) + 2;
  const head = `${"target".padEnd(nameWidth)}${columns.map((c) => c.padStart(8)).join("")}`;
  const rows = targets.map((target) => {
    const cells = columns.map((column) => {
      const value = target.totals[column] ?? 0;
      const text = String(value).padStart(8);
      return value > 0 && column !== "passed" ? styleOutcome(style, column, text) : text;
    });
    return `${target.name.padEnd(nameWidth)}${cells.join("")}`;
  });
  return [style.bold(head), ...rows];
}
