/**
 * Times a child process: wall time, and the CPU time (user + system) of the child and everything it ran,
 * taken from bash's `times` builtin after the child exits (Node cannot read a child's resource usage).
 */
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";

export interface ProcessTime {
  readonly wallMs: number;
  /** CPU time of the child and its own children (ms); NaN when bash did not report it. */
  readonly cpuMs: number;
  readonly exitCode: number;
  readonly stdout: string;
}

/** `1m2.345s` → 62345 ms. */
export function parseBashTime(text: string): number {
  const match = /^(\d+)m(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match ? Math.round((Number(match[1]) * 60 + Number(match[2])) * 1000) : Number.NaN;
}

/** CPU ms from the output of `times` (second line: children's user and system time). */
export function childCpuFromTimes(output: string): number {
  const line = output.trim().split("\n").at(-1) ?? "";
  const [user, system] = line.trim().split(/\s+/);
  return parseBashTime(user ?? "") + parseBashTime(system ?? "");
}

const TIMES_MARK = "--- ishare-bench times ---";

/** Runs `command args…` under bash, with stdout kept (before the times) and stderr discarded. */
export function timeProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<ProcessTime> {
  const script = `"$@" 2>/dev/null; code=$?; echo "${TIMES_MARK}"; times; exit $code`;
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", script, "bench", command, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: "1", ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout) => {
        const wallMs = performance.now() - started;
        const at = stdout.lastIndexOf(TIMES_MARK);
        const out = at === -1 ? stdout : stdout.slice(0, at);
        const cpuMs = at === -1 ? Number.NaN : childCpuFromTimes(stdout.slice(at + TIMES_MARK.length));
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ wallMs, cpuMs, exitCode: code, stdout: out });
      },
    );
  });
}
