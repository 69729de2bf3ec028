/** Benchmark of the harness's overhead against a bare undici + jose baseline. */
export { type BaselineTimes, runBaseline } from "./baseline.ts";
export { type BenchOptions, median, runBench } from "./bench.ts";
