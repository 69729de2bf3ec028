/**
 * The pre-flight's local checks on the identity the harness presents (no network): the client certificate is
 * valid now, names `client.partyId` (subject serialNumber in 2.0, organizationIdentifier or serialNumber from
 * 2.1), forms a complete chain up to a self-signed root, and holds an RSA key of at least 2048 bits. The key
 * matching its certificate is checked when the configuration is loaded (a ConfigError).
 */
import { X509Certificate as NodeX509Certificate } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import type { PartyIdentity } from "../model/identity.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { EXTRA_NAME_OIDS, subjectOf, toPem } from "../pki/index.ts";
import { configProblem, type Finding, ok, warning } from "./finding.ts";

/** RFC 7518 §3.3: RS256 keys of 2048 bits or larger. */
const MIN_RSA_BITS = 2048;

const node = (cert: X509Certificate): NodeX509Certificate => new NodeX509Certificate(toPem(cert));
const day = (date: Date): string => date.toISOString().slice(0, 10);

/** Validity of one identity's signing certificate at `nowMs`. */
function validity(identity: PartyIdentity, at: string, nowMs: number): Finding {
  const leaf = identity.chain[0]!;
  const check = "certificate validity";
  if (leaf.notAfter.getTime() < nowMs) {
    return configProblem(
      check,
      `${at}.certificates: the certificate ${subjectOf(leaf)} expired on ${day(leaf.notAfter)}; configure a certificate that is valid now`,
    );
  }
  if (leaf.notBefore.getTime() > nowMs) {
    return configProblem(
      check,
      `${at}.certificates: the certificate ${subjectOf(leaf)} is valid only from ${day(leaf.notBefore)}; configure a certificate that is valid now`,
    );
  }
  return ok(check, `${at}: certificate valid until ${day(leaf.notAfter)}`);
}

/** The party id inside the certificate vs the configured one (per version: serialNumber, organizationIdentifier). */
function partyIdInCertificate(target: ResolvedTarget, at: string): Finding {
  const check = "party id in the certificate";
  const leaf = target.client.chain[0]!;
  const configured = target.client.partyId;
  const serial = leaf.subjectName.getField(EXTRA_NAME_OIDS.serialNumber)[0];
  const orgId = leaf.subjectName.getField(EXTRA_NAME_OIDS.organizationIdentifier)[0];
  const matchesOrg = orgId !== undefined && (configured === orgId || configured.endsWith(`.${orgId}`));
  if (target.version === "2.0") {
    if (serial === configured)
      return ok(check, `${at}.partyId ${configured} is the certificate's serialNumber`);
    if (serial !== undefined) {
      return configProblem(
        check,
        `${at}.partyId is ${configured}, but the client certificate names ${serial} (subject serialNumber); set ${at}.partyId: ${serial}, or use ${configured}'s certificate`,
      );
    }
  } else {
    if (matchesOrg || serial === configured)
      return ok(check, `${at}.partyId ${configured} matches the certificate's subject`);
    if (orgId !== undefined || serial !== undefined) {
      const named = orgId !== undefined ? `${orgId} (organizationIdentifier)` : `${serial} (serialNumber)`;
      return configProblem(
        check,
        `${at}.partyId is ${configured}, but the client certificate names ${named}; set ${at}.partyId to that party's id, or use ${configured}'s certificate`,
      );
    }
  }
  return warning(
    check,
    `${at}.certificates: the certificate carries no party id (no serialNumber or organizationIdentifier); the target can bind it only through the registry`,
  );
}

/**
 * The chain is in x5c order and complete: up to a self-signed root (from 2.1), or in 2.0 at least up to an
 * issuing CA (iSHARE JWT header: "the complete certificate chain … up until an Issuing CA" on the trusted list).
 */
function chainComplete(identity: PartyIdentity, at: string, version: ResolvedTarget["version"]): Finding {
  const check = "certificate chain";
  const chain = identity.chain.map(node);
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i]!.checkIssued(chain[i + 1]!) || !chain[i]!.verify(chain[i + 1]!.publicKey)) {
      return configProblem(
        check,
        `${at}.certificates: certificate ${i + 2} (${chain[i + 1]!.subject.replace(/\n/g, ", ")}) did not issue certificate ${i + 1}; list the signing certificate first, then each issuer, root last`,
      );
    }
  }
  const last = chain[chain.length - 1]!;
  if (!last.checkIssued(last) || !last.verify(last.publicKey)) {
    const issuer = last.issuer.replace(/\n/g, ", ");
    if (chain.length === 1) {
      return configProblem(
        check,
        `${at}.certificates holds only the signing certificate (issued by "${issuer}"): add the issuing CA(s) and the root after it (iSHARE sends the complete chain in x5c)`,
      );
    }
    const message = `${at}.certificates holds ${chain.length} certificates ending at one issued by "${issuer}", not at a root`;
    // iSHARE 2.0: "up until an Issuing CA is listed from the iSHARE Trusted List"; from 2.1 the root is included.
    if (version === "2.0")
      return warning(
        check,
        `${message}: complete in iSHARE 2.0 only if that CA is on the iSHARE trusted list`,
      );
    return configProblem(
      check,
      `${message}: add the root after it (from iSHARE 2.1 x5c includes the root of the trusted-list CA)`,
    );
  }
  return ok(check, `${at}: chain of ${chain.length} certificates up to a root`);
}

/** An RSA key of at least 2048 bits. */
function keySize(identity: PartyIdentity, at: string): Finding {
  const check = "key type and size";
  const details = identity.privateKey.asymmetricKeyDetails;
  if (identity.privateKey.asymmetricKeyType !== "rsa") {
    return configProblem(
      check,
      `${at}.key is a ${identity.privateKey.asymmetricKeyType ?? "non-RSA"} key; iSHARE signs with RSA (RS256)`,
    );
  }
  const bits = details?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    return configProblem(
      check,
      `${at}.key is a ${bits}-bit RSA key; RS256 needs 2048 bits or more (RFC 7518 §3.3): use a 2048-bit (or larger) key and certificate`,
    );
  }
  return ok(check, `${at}: RSA ${bits} bits`);
}

/** Every local check of the client identity, plus the validity of the further identities (warnings). */
export function localFindings(target: ResolvedTarget, nowMs: number): Finding[] {
  const at = `targets.${target.name}.client`;
  const findings = [
    validity(target.client, at, nowMs),
    partyIdInCertificate(target, at),
    chainComplete(target.client, at, target.version),
    keySize(target.client, at),
  ];
  for (const [name, identity] of Object.entries(target.identities)) {
    const finding = validity(identity, `targets.${target.name}.identities.${name}`, nowMs);
    // Another identity that cannot work skips its cases; it does not stop the run.
    findings.push(finding.kind === "config" ? warning(finding.check, finding.message) : finding);
  }
  return findings;
}
