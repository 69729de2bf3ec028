/** Vitest configuration for the harness's own tests (`npm test`), not for conformance runs. */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  test: {
    root,
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", fileURLToPath(new URL("./summary-line-reporter.ts", import.meta.url))],
  },
});
