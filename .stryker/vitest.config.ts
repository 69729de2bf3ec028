/** Vitest configuration for mutation testing (npm run mutation): only the judge's own tests. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "src/pki/chain.test.ts",
      "src/pki/chain-holes.test.ts",
      "src/pki/openssl-oracle.test.ts",
      "src/checks/judge-holes.test.ts",
      "src/delegation/seed-004.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "threads",
  },
});
