/**
 * Chain helpers only faulty servers use: sorting an `x5c` set, completing it from a local store,
 * taking a self-signed end as anchor, and verifying "at some instant" (ignoring validity periods).
 */
import { X509Certificate as NodeX509Certificate } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { type ChainVerdict, MAX_CHAIN_LENGTH, verifyChain } from "../pki/index.ts";

function sameDer(a: X509Certificate, b: X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

function contains(certs: readonly X509Certificate[], cert: X509Certificate): boolean {
  return certs.some((member) => sameDer(member, cert));
}

function nodeCertificate(cert: X509Certificate): NodeX509Certificate {
  return new NodeX509Certificate(Buffer.from(cert.rawData));
}

/** True when `issuer` issued `cert`: names (and key ids) match and `issuer`'s key verifies the signature. */
export function isIssuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    const child = nodeCertificate(cert);
    const parent = nodeCertificate(issuer);
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** True when the certificate is self-issued and its own key verifies its signature (a root). */
export function isSelfSigned(cert: X509Certificate): boolean {
  return isIssuedBy(cert, cert);
}

/**
 * The certificates sorted signer first, each followed by its issuer; the input order when the set does
 * not form one such path (`token.accepts-any-chain-order`).
 */
export function orderSignerFirst(certs: readonly X509Certificate[]): X509Certificate[] {
  const leaves = certs.filter(
    (candidate) => !certs.some((other) => other !== candidate && isIssuedBy(other, candidate)),
  );
  if (leaves.length !== 1) return [...certs];
  const ordered = [leaves[0]!];
  while (ordered.length < certs.length) {
    const last = ordered[ordered.length - 1]!;
    const next = certs.find((cert) => !ordered.includes(cert) && isIssuedBy(last, cert));
    if (!next) return [...certs];
    ordered.push(next);
  }
  return ordered;
}

/**
 * The chain extended with issuers found in `store` until it ends at a self-signed certificate
 * (`token.completes-chain-from-store`).
 */
export function completeFromStore(
  chain: readonly X509Certificate[],
  store: readonly X509Certificate[],
): X509Certificate[] {
  const completed = [...chain];
  while (completed.length > 0 && completed.length < MAX_CHAIN_LENGTH) {
    const last = completed[completed.length - 1]!;
    if (isSelfSigned(last)) break;
    const issuer = store.find((cert) => !contains(completed, cert) && isIssuedBy(last, cert));
    if (!issuer) break;
    completed.push(issuer);
  }
  return completed;
}

/**
 * Verifies the chain at `at`, and when that fails, at each certificate's notBefore and notAfter: the
 * chain passes if it would verify at any of those instants (`token.ignores-certificate-validity`).
 * Order, signatures, CA flags and trust do not depend on time, so only validity is waived.
 */
export async function verifyChainIgnoringValidity(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  at: Date,
): Promise<ChainVerdict> {
  const first = await verifyChain(chain, anchors, at);
  if (first.ok || (first.problem !== "expired" && first.problem !== "not-yet-valid")) return first;
  const instants = chain.flatMap((cert) => [cert.notBefore, cert.notAfter]);
  for (const instant of instants) {
    const verdict = await verifyChain(chain, anchors, instant);
    if (verdict.ok) return verdict;
  }
  return first;
}
