/** Benchmark of the harness's overhead against a bare undici + jose baseline. */
export { type BaselineTimes, runBaseline } from "./baseline.ts";
export { type BenchOptions, median, runBench, TEN_TARGETS, tenTargetsYaml } from "./bench.ts";
export { childCpuFromTimes, type ProcessTime, parseBashTime, timeProcess } from "./process-time.ts";
