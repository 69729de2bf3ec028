/** Distinguished names for iSHARE party certificates, and reading the party id back out of them. */
import type { X509Certificate } from "@peculiar/x509";
import { x509 } from "./x509.ts";

/** Attribute names @peculiar/x509 does not know by default (X.520 OIDs). */
export const EXTRA_NAME_OIDS = {
  serialNumber: "2.5.4.5",
  organizationIdentifier: "2.5.4.97",
} as const;

const DID_PREFIX = "did:ishare:";

/** Escapes an RFC 4514 attribute value. */
function escapeValue(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, "\\$1").replace(/^([ #])/, "\\$1");
}

/**
 * The organizationIdentifier (ETSI EN 319 412-1, e.g. `NTRNL-10000000`) inside a
 * `did:ishare:EU.NL.NTRNL-10000000` id, or undefined for other ids (spec digest §1.2).
 */
export function organizationIdentifierOf(partyId: string): string | undefined {
  if (!partyId.startsWith(DID_PREFIX)) return undefined;
  const parts = partyId.slice(DID_PREFIX.length).split(".");
  const last = parts.at(-1);
  return parts.length >= 3 && last ? last : undefined;
}

/**
 * Subject DN of a test party certificate: `CN=<name>, serialNumber=<partyId>, O=iSHARE Conformance Test, C=NL`,
 * plus `organizationIdentifier=NTRNL-…` for a `did:ishare:` id (spec digest §1, §8).
 */
export function partySubject(partyId: string, name: string): string {
  const parts = [`CN=${escapeValue(name)}`, `serialNumber=${escapeValue(partyId)}`];
  const orgId = organizationIdentifierOf(partyId);
  if (orgId) parts.push(`organizationIdentifier=${escapeValue(orgId)}`);
  parts.push("O=iSHARE Conformance Test", "C=NL");
  return parts.join(", ");
}

/** Parses a DN string that may use serialNumber / organizationIdentifier. */
export function parseName(dn: string): x509.Name {
  return new x509.Name(dn, { ...EXTRA_NAME_OIDS });
}

/** A certificate name rendered with serialNumber / organizationIdentifier spelled out. */
export function nameToString(name: x509.Name): string {
  return new x509.Name(name.toArrayBuffer(), { ...EXTRA_NAME_OIDS }).toString();
}

/** The subject of a certificate, readable (for messages). */
export function subjectOf(cert: X509Certificate): string {
  return nameToString(cert.subjectName);
}

/** The issuer of a certificate, readable (for messages). */
export function issuerOf(cert: X509Certificate): string {
  return nameToString(cert.issuerName);
}

/** The first CN of the certificate's subject, if any. */
export function commonNameOf(cert: X509Certificate): string | undefined {
  return cert.subjectName.getField("CN")[0];
}

/**
 * The iSHARE party id carried by a certificate: subject serialNumber (v1.x/v2.0 test PKI), else
 * `did:ishare:EU.<CC>.<organizationIdentifier>` (eIDAS eSeal convention, v2.1). Undefined when neither is present.
 * The registry lookup, not this, is the required binding (spec digest §1.1).
 */
export function partyIdFromCertificate(cert: X509Certificate): string | undefined {
  const serial = cert.subjectName.getField(EXTRA_NAME_OIDS.serialNumber)[0];
  if (serial) return serial;
  const orgId = cert.subjectName.getField(EXTRA_NAME_OIDS.organizationIdentifier)[0];
  if (!orgId) return undefined;
  if (orgId.startsWith(DID_PREFIX)) return orgId;
  const country = /^[A-Z]{3}([A-Z]{2})-/.exec(orgId)?.[1];
  return country ? `${DID_PREFIX}EU.${country}.${orgId}` : undefined;
}
