/**
 * Mutation testing only: RSA key pairs generated once and handed out in order, so that re-running a test file for
 * each mutant does not spend its time generating the test PKI's keys again. The keys are real and distinct
 * within a test file (each file gets a fresh module, so the same keys in the same order); the pool running dry
 * falls back to fresh keys. .stryker/vitest.config.ts routes imports of src/pki/keys.ts here.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateRsaKeyPair as freshRsaKeyPair, type RsaKeyPair } from "../src/pki/keys.ts";

export * from "../src/pki/keys.ts";

/** How many keys of each size the pool holds. */
const SIZES: Readonly<Record<number, number>> = { 2048: 96, 1024: 12 };

/** Where the pool lives between runs (PKCS#8 PEM per size). */
export const KEY_POOL_FILE = join(tmpdir(), `ishare-conformance-stryker-keys-${process.getuid?.() ?? 0}.json`);

/** Writes the pool file unless it exists (vitest globalSetup). */
export function setup(): void {
  if (existsSync(KEY_POOL_FILE)) return;
  const pool: Record<number, string[]> = {};
  for (const [bits, count] of Object.entries(SIZES)) {
    pool[Number(bits)] = Array.from({ length: count }, () =>
      generateKeyPairSync("rsa", { modulusLength: Number(bits), publicExponent: 0x10001 })
        .privateKey.export({ format: "pem", type: "pkcs8" })
        .toString(),
    );
  }
  writeFileSync(`${KEY_POOL_FILE}.tmp`, JSON.stringify(pool));
  renameSync(`${KEY_POOL_FILE}.tmp`, KEY_POOL_FILE);
}

let pool: Record<string, string[]> | undefined;
const handedOut: Record<number, number> = {};

/** The next pooled key pair of `bits`, or a fresh one when the pool has none left. */
export function generateRsaKeyPair(bits = 2048): Promise<RsaKeyPair> {
  pool ??= existsSync(KEY_POOL_FILE) ? (JSON.parse(readFileSync(KEY_POOL_FILE, "utf8")) as Record<string, string[]>) : {};
  const index = handedOut[bits] ?? 0;
  handedOut[bits] = index + 1;
  const pem = pool[bits]?.[index];
  if (pem === undefined) return freshRsaKeyPair(bits);
  const privateKey = createPrivateKey(pem);
  return Promise.resolve({ privateKey, publicKey: createPublicKey(privateKey) });
}
