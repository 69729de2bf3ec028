/**
 * Vitest configuration for mutation testing (npm run mutation): only the judge's own tests, with the test PKI's RSA
 * keys drawn from a pool generated once (.stryker/key-pool.ts) instead of afresh for every mutant.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const realKeys = fileURLToPath(new URL("../src/pki/keys.ts", import.meta.url));
const keyPool = fileURLToPath(new URL("./key-pool.ts", import.meta.url));

export default defineConfig({
  plugins: [
    {
      name: "stryker-key-pool",
      enforce: "pre",
      async resolveId(source, importer, options) {
        if (importer === undefined || importer === keyPool || !source.endsWith("keys.ts")) return null;
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        return resolved?.id === realKeys ? keyPool : null;
      },
    },
  ],
  test: {
    include: [
      "src/pki/chain.test.ts",
      "src/pki/chain-holes.test.ts",
      "src/pki/trusted-list.test.ts",
      "src/pki/openssl-oracle.test.ts",
      "src/checks/judge-holes.test.ts",
      "src/delegation/seed-004.test.ts",
      "src/jwt/verify.test.ts",
      "src/jwt/x5c.test.ts",
      "src/checks/jwt.test.ts",
      "src/checks/registry-trust.test.ts",
    ],
    globalSetup: [keyPool],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "threads",
  },
});
