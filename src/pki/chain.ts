/** Certificate chain verification for `x5c` headers: order, signatures, validity, CA flags and trust. */
import { X509Certificate as NodeX509Certificate } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { issuerOf, subjectOf } from "./names.ts";
import { x509 } from "./x509.ts";

/** Longest chain examined; longer ones are rejected before any work (hostile `x5c` input). */
export const MAX_CHAIN_LENGTH = 10;

/** Why a chain was rejected. */
export type ChainProblem =
  | "empty"
  | "too-long"
  | "order"
  | "signature"
  | "expired"
  | "not-yet-valid"
  | "not-a-ca"
  | "untrusted";

/** The outcome of {@link verifyChain}. */
export type ChainVerdict =
  | { readonly ok: true; readonly anchor: X509Certificate }
  | { readonly ok: false; readonly problem: ChainProblem; readonly message: string };

/** ISO 8601 UTC without milliseconds, e.g. `2024-03-01T00:00:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function describe(cert: X509Certificate, index: number): string {
  return `certificate ${index} (${subjectOf(cert)})`;
}

function sameName(a: x509.Name, b: x509.Name): boolean {
  if (Buffer.from(a.toArrayBuffer()).equals(Buffer.from(b.toArrayBuffer()))) return true;
  return a.toString().toLowerCase() === b.toString().toLowerCase();
}

/** True when `issuer`'s subject is `cert`'s issuer and `issuer`'s key verifies `cert`'s signature. */
function issuedBy(
  cert: X509Certificate,
  issuer: X509Certificate,
  cache: Map<X509Certificate, NodeX509Certificate>,
): boolean {
  if (!sameName(cert.issuerName, issuer.subjectName)) return false;
  try {
    return nodeCert(cert, cache).verify(nodeCert(issuer, cache).publicKey);
  } catch {
    return false;
  }
}

function nodeCert(
  cert: X509Certificate,
  cache: Map<X509Certificate, NodeX509Certificate>,
): NodeX509Certificate {
  let node = cache.get(cert);
  if (!node) {
    node = new NodeX509Certificate(Buffer.from(cert.rawData));
    cache.set(cert, node);
  }
  return node;
}

function isCa(cert: X509Certificate): boolean {
  return cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

function sameDer(a: X509Certificate, b: X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

/**
 * Verifies an `x5c` chain (signer first) against trust anchors at time `at` (spec digest §2.2, §8):
 * chain[i] is issued by chain[i+1] (issuer DN and signature), every certificate is valid at `at`, every
 * non-leaf is a CA, and the last certificate either is an anchor (DER-equal) or is signed by one (v2.0:
 * "up until an Issuing CA listed on the iSHARE Trusted List"). Chains over {@link MAX_CHAIN_LENGTH} are
 * refused unread. Never throws.
 */
export async function verifyChain(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  at: Date,
): Promise<ChainVerdict> {
  if (chain.length === 0) return { ok: false, problem: "empty", message: "the certificate chain is empty" };
  if (chain.length > MAX_CHAIN_LENGTH) {
    return {
      ok: false,
      problem: "too-long",
      message: `the certificate chain has ${chain.length} certificates; at most ${MAX_CHAIN_LENGTH} are examined`,
    };
  }
  const cache = new Map<X509Certificate, NodeX509Certificate>();

  for (let i = 0; i + 1 < chain.length; i++) {
    const cert = chain[i]!;
    const next = chain[i + 1]!;
    if (issuedBy(cert, next, cache)) continue;
    if (issuedBy(cert, cert, cache)) {
      return {
        ok: false,
        problem: "order",
        message: `${describe(cert, i)} is self-signed (a root) but is not the last certificate; the chain must go signer first, root last`,
      };
    }
    if (issuedBy(next, cert, cache)) {
      return {
        ok: false,
        problem: "order",
        message: `${describe(cert, i)} issued the next certificate (${subjectOf(next)}) instead of being issued by it; the chain must go signer first, root last`,
      };
    }
    const elsewhere = chain.findIndex((other, j) => j !== i && j !== i + 1 && issuedBy(cert, other, cache));
    if (elsewhere >= 0) {
      return {
        ok: false,
        problem: "order",
        message: `${describe(cert, i)} is issued by certificate ${elsewhere}, not by the next one (${subjectOf(next)}); the chain must go signer first, each certificate followed by its issuer, root last`,
      };
    }
    const reason = sameName(cert.issuerName, next.subjectName)
      ? `its signature does not verify with the key of ${describe(next, i + 1)}`
      : `its issuer (${issuerOf(cert)}) is not ${describe(next, i + 1)}`;
    return { ok: false, problem: "signature", message: `${describe(cert, i)}: ${reason}` };
  }

  for (const [i, cert] of chain.entries()) {
    const validity = validityProblem(cert, describe(cert, i), at);
    if (validity) return validity;
  }

  for (let i = 1; i < chain.length; i++) {
    const cert = chain[i]!;
    if (!isCa(cert)) {
      return {
        ok: false,
        problem: "not-a-ca",
        message: `${describe(cert, i)} issues ${describe(chain[i - 1]!, i - 1)} but is not a CA (basicConstraints cA is not true)`,
      };
    }
  }

  const last = chain[chain.length - 1]!;
  const equal = anchors.find((anchor) => sameDer(anchor, last));
  if (equal) return { ok: true, anchor: equal };
  const signer = anchors.find((anchor) => issuedBy(last, anchor, cache));
  if (signer) {
    const validity = validityProblem(signer, `trust anchor ${subjectOf(signer)}`, at);
    return validity ?? { ok: true, anchor: signer };
  }
  return {
    ok: false,
    problem: "untrusted",
    message: `the chain ends at ${describe(last, chain.length - 1)}, issued by ${issuerOf(last)}, which is not a trusted CA`,
  };
}

function validityProblem(cert: X509Certificate, label: string, at: Date): ChainVerdict | undefined {
  if (cert.notAfter.getTime() < at.getTime()) {
    return { ok: false, problem: "expired", message: `${label} expired on ${isoSeconds(cert.notAfter)}` };
  }
  if (cert.notBefore.getTime() > at.getTime()) {
    return {
      ok: false,
      problem: "not-yet-valid",
      message: `${label} is not valid before ${isoSeconds(cert.notBefore)}`,
    };
  }
  return undefined;
}
