/**
 * Judging an `x5c` chain against a participant registry's trusted list (spec digest §6.4, §8): the chain must
 * hold a CA whose SHA-256 fingerprint the list carries with validity `valid` and status `granted`, and be a
 * sound chain (order, signatures, validity, CA flags) up to that CA.
 */
import type { X509Certificate } from "@peculiar/x509";
import type { TrustedCa } from "../model/registry-trust.ts";
import { type ChainOptions, type ChainVerdict, verifyChain } from "./chain.ts";
import { sha256Fingerprint } from "./fingerprint.ts";
import { subjectOf } from "./names.ts";

/** A fingerprint as registries write it, reduced for comparison: hex digits only, upper case. */
export function normaliseFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[:\s]/g, "").toUpperCase();
}

/** The list entry for `cert`, if its SHA-256 fingerprint is listed (any validity or status). */
export function trustedListEntryFor(
  cert: X509Certificate,
  list: readonly TrustedCa[],
): TrustedCa | undefined {
  const fingerprint = sha256Fingerprint(cert);
  return list.find((entry) => normaliseFingerprint(entry.fingerprint) === fingerprint);
}

/** True when the entry lets a chain through: validity `valid` and status `granted`. */
export function isGranted(entry: TrustedCa): boolean {
  return entry.validity === "valid" && entry.status === "granted";
}

/**
 * Verifies `chain` (signer first) against `list` at `at`: the first certificate above the signer whose
 * fingerprint is listed is the trusted CA (the signer's own certificate never is); it must be valid and granted,
 * and the whole chain sound (`options` as for verifyChain). The failure message names the fingerprints of the
 * certificates that are not on the list. Never throws.
 */
export async function verifyChainOnTrustedList(
  chain: readonly X509Certificate[],
  list: readonly TrustedCa[],
  at: Date,
  options: ChainOptions = {},
): Promise<ChainVerdict> {
  if (chain.length === 0) return { ok: false, problem: "empty", message: "the certificate chain is empty" };
  const index = chain.findIndex((cert, i) => i > 0 && trustedListEntryFor(cert, list) !== undefined);
  if (index < 0) {
    const seen = chain
      .map((cert, i) => `x5c[${i}] ${subjectOf(cert)} has SHA-256 fingerprint ${sha256Fingerprint(cert)}`)
      .join("; ");
    return {
      ok: false,
      problem: "untrusted",
      message: `no certificate of the chain is on the trusted list (${list.length} entries): ${seen}`,
    };
  }
  const anchor = chain[index]!;
  const entry = trustedListEntryFor(anchor, list)!;
  if (!isGranted(entry)) {
    return {
      ok: false,
      problem: "untrusted",
      message:
        `x5c[${index}] ${subjectOf(anchor)} (SHA-256 ${sha256Fingerprint(anchor)}) is on the trusted list ` +
        `with validity ${JSON.stringify(entry.validity)} and status ${JSON.stringify(entry.status)}, not valid and granted`,
    };
  }
  return verifyChain(chain, [anchor], at, options);
}
