/** Minting party certificates with one deliberate fault, for negative test cases. */
import type { IssuerMaterial, PartyIdentity } from "../model/identity.ts";
import { createCertificate } from "./certificate.ts";
import { generateRsaKeyPair } from "./keys.ts";
import { partySubject } from "./names.ts";

/** The single property a minted certificate gets wrong. */
export type MintKind = "expired" | "not-yet-valid" | "small-key" | "fresh-key";

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** Subject of the self-made root in {@link untrustedIdentity}. */
export const UNTRUSTED_ROOT_SUBJECT = "CN=Untrusted Conformance Root CA, O=Not Trusted By Anyone, C=NL";

/**
 * A party certificate for `partyId` issued by the trusted `issuer`, correct except for one property:
 * `expired` (valid now-2y .. now-1d), `not-yet-valid` (now+1d .. now+2y), `small-key` (RSA 1024) or
 * `fresh-key` (a valid certificate for a new key, i.e. not the one the registry knows).
 * The returned chain is [leaf, ...issuer.chain].
 */
export async function mintCertificate(
  issuer: IssuerMaterial,
  kind: MintKind,
  partyId: string,
  name: string,
  now: Date,
): Promise<PartyIdentity> {
  const issuerCert = issuer.chain[0];
  if (!issuerCert)
    throw new Error("issuer material has an empty chain: the issuing CA certificate must come first");
  const t = now.getTime();
  const [notBefore, notAfter] =
    kind === "expired"
      ? [t - 2 * YEAR_MS, t - DAY_MS]
      : kind === "not-yet-valid"
        ? [t + DAY_MS, t + 2 * YEAR_MS]
        : [t - DAY_MS, t + 2 * YEAR_MS];
  const keys = await generateRsaKeyPair(kind === "small-key" ? 1024 : 2048);
  const leaf = await createCertificate({
    subject: partySubject(partyId, name),
    subjectKeys: keys,
    issuer: { privateKey: issuer.privateKey, certificate: issuerCert },
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
  });
  return { partyId, privateKey: keys.privateKey, chain: [leaf, ...issuer.chain] };
}

/** A fresh self-made root CA and a party certificate under it: a chain no target trusts. Chain = [leaf, root]. */
export async function untrustedIdentity(partyId: string, name: string, now: Date): Promise<PartyIdentity> {
  const t = now.getTime();
  const [rootKeys, keys] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const root = await createCertificate({
    subject: UNTRUSTED_ROOT_SUBJECT,
    subjectKeys: rootKeys,
    notBefore: new Date(t - DAY_MS),
    notAfter: new Date(t + 10 * YEAR_MS),
    ca: {},
  });
  const leaf = await createCertificate({
    subject: partySubject(partyId, name),
    subjectKeys: keys,
    issuer: { privateKey: rootKeys.privateKey, certificate: root },
    notBefore: new Date(t - DAY_MS),
    notAfter: new Date(t + 2 * YEAR_MS),
  });
  return { partyId, privateKey: keys.privateKey, chain: [leaf, root] };
}
