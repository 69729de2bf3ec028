/** Vitest configuration for the harness's own tests (`npm test`), not for conformance runs. */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  test: {
    root,
    include: ["src/**/*.test.ts"],
    // Hang detectors only, never verdicts: a full CLI run took 60 s at a load of 10 on two cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // Both cores: vitest's default on a 2-core machine is one worker, which ran the 85 files one after another.
    // The proofs use real sockets and CPU-bound crypto, never the machine's speed, so sharing cores is safe.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ["default", fileURLToPath(new URL("./summary-line-reporter.ts", import.meta.url))],
  },
});
