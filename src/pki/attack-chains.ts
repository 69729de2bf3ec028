/**
 * Certificate chains that real token endpoints have been fooled by (issue #13 §3), made from a party's genuine
 * chain: impostor leaves with the genuine subject signed by an attacker key, a forged intermediate carrying
 * the genuine issuing CA's name, a CA or non-signing certificate as signer, an EC signer, an expired copy of
 * the issuing CA, and a chain with an unrelated certificate appended. Each returns the identity to sign with.
 */
import { generateKeyPair, type KeyObject } from "node:crypto";
import type { IssuerMaterial, PartyIdentity } from "../model/identity.ts";
import { createCertificate } from "./certificate.ts";
import { generateRsaKeyPair } from "./keys.ts";
import { subjectOf } from "./names.ts";
import { x509 } from "./x509.ts";

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** Subject of the unrelated certificate appended by {@link withUnrelatedCertificate}. */
export const UNRELATED_SUBJECT = "CN=Unrelated Certificate, O=Nobody, C=NL";

function period(now: Date) {
  return { notBefore: new Date(now.getTime() - DAY_MS), notAfter: new Date(now.getTime() + 2 * YEAR_MS) };
}

function parts(base: PartyIdentity) {
  const [leaf, issuing, ...rest] = base.chain;
  const root = rest[rest.length - 1] ?? issuing;
  if (!leaf || !issuing || !root)
    throw new Error(`${base.partyId}: an attack chain needs [leaf, issuing CA, root]`);
  return { leaf, issuing, root };
}

/**
 * A leaf with the genuine leaf's subject and issuer name (and key identifier), for a new key, signed by the
 * attacker's key instead of the issuing CA's. `withIntermediate`: x5c [impostor, issuing CA, root]; else
 * [impostor, root] (the chain whose last link a sloppy loop never checks).
 */
export async function impostorIdentity(
  base: PartyIdentity,
  attacker: KeyObject,
  now: Date,
  withIntermediate: boolean,
): Promise<PartyIdentity> {
  const { leaf, issuing, root } = parts(base);
  const keys = await generateRsaKeyPair(2048);
  const impostor = await createCertificate({
    subject: subjectOf(leaf),
    subjectKeys: keys,
    issuer: { privateKey: attacker, certificate: issuing },
    ...period(now),
  });
  return {
    partyId: base.partyId,
    privateKey: keys.privateKey,
    chain: withIntermediate ? [impostor, issuing, root] : [impostor, root],
  };
}

/**
 * A forged intermediate: the genuine issuing CA's name, under the root's name, signed by the attacker; and a
 * leaf with the genuine subject under it. x5c [leaf, forged CA, genuine root].
 */
export async function forgedIntermediateIdentity(
  base: PartyIdentity,
  attacker: KeyObject,
  now: Date,
): Promise<PartyIdentity> {
  const { leaf, issuing, root } = parts(base);
  const forged = await createCertificate({
    subject: subjectOf(issuing),
    subjectKeys: { privateKey: attacker },
    issuer: { privateKey: attacker, certificate: root },
    ...period(now),
    ca: { pathLength: 0 },
  });
  const forgedLeaf = await createCertificate({
    subject: subjectOf(leaf),
    subjectKeys: { privateKey: base.privateKey },
    issuer: { privateKey: attacker, certificate: forged },
    ...period(now),
  });
  return { partyId: base.partyId, privateKey: base.privateKey, chain: [forgedLeaf, forged, root] };
}

/** The kinds of odd signer certificate {@link oddSignerIdentity} makes under the trusted issuer. */
export type OddSigner = "ca-leaf" | "no-signing-usage" | "ec-key";

/**
 * A certificate for the party from the trusted `issuer` that may not sign iSHARE JWTs: a CA certificate
 * (cA, keyCertSign), one whose keyUsage is keyEncipherment only, or one for an EC P-256 key (iSHARE signs RS256).
 */
export async function oddSignerIdentity(
  issuer: IssuerMaterial,
  base: PartyIdentity,
  kind: OddSigner,
  now: Date,
): Promise<PartyIdentity> {
  const issuerCert = issuer.chain[0];
  if (!issuerCert) throw new Error("issuer material has an empty chain");
  const subject = subjectOf(parts(base).leaf);
  const signer = { privateKey: issuer.privateKey, certificate: issuerCert };
  if (kind === "ec-key") {
    const keys = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) =>
      generateKeyPair("ec", { namedCurve: "P-256" }, (error, publicKey, privateKey) =>
        error ? reject(error) : resolve({ publicKey, privateKey }),
      ),
    );
    const cert = await createCertificate({ subject, subjectKeys: keys, issuer: signer, ...period(now) });
    return { partyId: base.partyId, privateKey: keys.privateKey, chain: [cert, ...issuer.chain] };
  }
  const { digitalSignature, keyCertSign, cRLSign, keyEncipherment } = x509.KeyUsageFlags;
  const extensions =
    kind === "ca-leaf"
      ? [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(digitalSignature | keyCertSign | cRLSign, true),
        ]
      : [
          new x509.BasicConstraintsExtension(false, undefined, false),
          new x509.KeyUsagesExtension(keyEncipherment, true),
        ];
  const cert = await createCertificate({
    subject,
    subjectKeys: { privateKey: base.privateKey },
    issuer: signer,
    ...period(now),
    extensions,
  });
  return { partyId: base.partyId, privateKey: base.privateKey, chain: [cert, ...issuer.chain] };
}

/**
 * The genuine leaf under an expired copy of its issuing CA (same name and key, validity ended yesterday),
 * signed by the root: x5c [leaf, expired issuing CA, root]. Needs the root's and the issuing CA's keys.
 */
export async function expiredIntermediateIdentity(
  base: PartyIdentity,
  root: { privateKey: KeyObject; certificate: x509.X509Certificate },
  issuingKey: KeyObject,
  now: Date,
): Promise<PartyIdentity> {
  const { leaf, issuing } = parts(base);
  const expired = await createCertificate({
    subject: subjectOf(issuing),
    subjectKeys: { privateKey: issuingKey },
    issuer: root,
    notBefore: new Date(now.getTime() - 2 * YEAR_MS),
    notAfter: new Date(now.getTime() - DAY_MS),
    ca: { pathLength: 0 },
  });
  return { partyId: base.partyId, privateKey: base.privateKey, chain: [leaf, expired, root.certificate] };
}

/** The genuine chain with an unrelated self-signed certificate appended after the root. */
export async function withUnrelatedCertificate(
  base: PartyIdentity,
  attacker: KeyObject,
  now: Date,
): Promise<PartyIdentity> {
  const unrelated = await createCertificate({
    subject: UNRELATED_SUBJECT,
    subjectKeys: { privateKey: attacker },
    ...period(now),
    ca: {},
  });
  return { ...base, chain: [...base.chain, unrelated] };
}
