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
  | "path-length"
  | "critical-extension"
  | "signer"
  | "root-missing"
  | "untrusted";

/** How strictly {@link verifyChain} reads the chain beyond RFC 5280 path validation. */
export interface ChainOptions {
  /**
   * The chain signs a JWT: x5c[0] must be an end-entity certificate (no cA, no keyCertSign) whose keyUsage
   * allows digitalSignature or nonRepudiation (spec digest §2.6, §8). Default true.
   */
  readonly signer?: boolean;
  /** The last certificate must be a self-signed root (iSHARE 2.1+: x5c includes the root). Default false. */
  readonly rootRequired?: boolean;
}

/** Extensions this verifier understands; any other marked critical rejects the certificate (RFC 5280 §4.2). */
const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set([
  "2.5.29.19", // basicConstraints
  "2.5.29.15", // keyUsage
  "2.5.29.37", // extKeyUsage
  "2.5.29.14", // subjectKeyIdentifier
  "2.5.29.35", // authorityKeyIdentifier
  "2.5.29.17", // subjectAltName
  "2.5.29.32", // certificatePolicies
]);

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

function keyUsageOf(cert: X509Certificate): number | undefined {
  return cert.getExtension(x509.KeyUsagesExtension)?.usages;
}

/** Why x5c[0] may not sign a JWT, or undefined. */
function signerProblem(cert: X509Certificate): string | undefined {
  const usages = keyUsageOf(cert);
  if (isCa(cert)) return "is a CA certificate (basicConstraints cA), not an end-entity certificate";
  if (usages !== undefined && (usages & x509.KeyUsageFlags.keyCertSign) !== 0)
    return "has keyUsage keyCertSign (a CA key), not an end-entity certificate";
  const signing = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  if (usages === undefined || (usages & signing) === 0)
    return "has neither digitalSignature nor nonRepudiation in its keyUsage";
  return undefined;
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
  options: ChainOptions = {},
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
    // Itself and the next one were tried just above: not verified again.
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

  for (const [i, cert] of chain.entries()) {
    const unknown = cert.extensions.filter((ext) => ext.critical && !UNDERSTOOD_EXTENSIONS.has(ext.type));
    if (unknown.length > 0) {
      return {
        ok: false,
        problem: "critical-extension",
        message: `${describe(cert, i)} has a critical extension this verifier does not know (${unknown.map((ext) => ext.type).join(", ")}); RFC 5280 §4.2 requires rejecting it`,
      };
    }
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
    const usages = keyUsageOf(cert);
    if (usages !== undefined && (usages & x509.KeyUsageFlags.keyCertSign) === 0) {
      return {
        ok: false,
        problem: "not-a-ca",
        message: `${describe(cert, i)} issues ${describe(chain[i - 1]!, i - 1)} but its keyUsage lacks keyCertSign`,
      };
    }
    // CA certificates between this one and the signer (RFC 5280 §4.2.1.9, §6.1.4 (l)-(m)).
    const pathLength = cert.getExtension(x509.BasicConstraintsExtension)?.pathLength;
    if (pathLength !== undefined && i - 1 > pathLength) {
      return {
        ok: false,
        problem: "path-length",
        message: `${describe(cert, i)} has pathLenConstraint ${pathLength} but ${i - 1} CA certificate(s) follow it down the chain`,
      };
    }
  }

  if (options.signer ?? true) {
    const problem = signerProblem(chain[0]!);
    if (problem) {
      return {
        ok: false,
        problem: "signer",
        message: `${describe(chain[0]!, 0)} signs the JWT but ${problem}`,
      };
    }
  }

  const last = chain[chain.length - 1]!;
  if (options.rootRequired && !issuedBy(last, last, cache)) {
    return {
      ok: false,
      problem: "root-missing",
      message: `the chain ends at ${describe(last, chain.length - 1)}, not at a root; from iSHARE 2.1 x5c must include the root certificate`,
    };
  }
  // The first certificate above the signer that is an anchor ends the trust path (it may sit below the root).
  for (let i = 1; i < chain.length; i++) {
    const equal = anchors.find((anchor) => sameDer(anchor, chain[i]!));
    if (equal) return { ok: true, anchor: equal };
  }
  // A lone certificate that is itself an anchor (a longer chain's last certificate was tried in the loop above).
  const lone = anchors.find((anchor) => sameDer(anchor, last));
  if (lone && !(options.signer ?? true)) return { ok: true, anchor: lone };
  const signer = anchors.find((anchor) => issuedBy(last, anchor, cache));
  if (signer) {
    const validity = validityProblem(signer, `trust anchor ${subjectOf(signer)}`, at);
    if (validity) return validity;
    const pathLength = signer.getExtension(x509.BasicConstraintsExtension)?.pathLength;
    if (pathLength !== undefined && chain.length - 1 > pathLength) {
      return {
        ok: false,
        problem: "path-length",
        message: `trust anchor ${subjectOf(signer)} has pathLenConstraint ${pathLength} but ${chain.length - 1} CA certificate(s) follow it down the chain`,
      };
    }
    return { ok: true, anchor: signer };
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
