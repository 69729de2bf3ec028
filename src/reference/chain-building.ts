/**
 * Chain helpers only faulty servers use: sorting an `x5c` set (`token.accepts-any-chain-order`) and completing
 * it from a local store (`token.completes-chain-from-store`). On the reference's own certificate judge.
 */
import { type Certificate, issued, MAX_X5C, selfSigned } from "./certificate-judge.ts";

const contains = (certs: readonly Certificate[], cert: Certificate) =>
  certs.some((m) => m.der.equals(cert.der));

/** The certificates sorted signer first, each followed by its issuer; the input order when they form no such path. */
export function orderSignerFirst(certs: readonly Certificate[]): Certificate[] {
  const leaves = certs.filter(
    (candidate) => !certs.some((other) => other !== candidate && issued(other, candidate)),
  );
  if (leaves.length !== 1) return [...certs];
  const ordered = [leaves[0]!];
  while (ordered.length < certs.length) {
    const last = ordered[ordered.length - 1]!;
    const next = certs.find((cert) => !ordered.includes(cert) && issued(last, cert));
    if (!next) return [...certs];
    ordered.push(next);
  }
  return ordered;
}

/** The chain extended with issuers found in `store` until it ends at a self-signed certificate. */
export function completeFromStore(
  chain: readonly Certificate[],
  store: readonly Certificate[],
): Certificate[] {
  const completed = [...chain];
  while (completed.length > 0 && completed.length < MAX_X5C) {
    const last = completed[completed.length - 1]!;
    if (selfSigned(last)) break;
    const issuer = store.find((cert) => !contains(completed, cert) && issued(last, cert));
    if (!issuer) break;
    completed.push(issuer);
  }
  return completed;
}
