/**
 * `jwt-signer-registered`: with trust from a participant registry, the target is a registered party with
 * adherence Active, and its JWT is signed with a certificate registered for it (spec digest §2.6, §8:
 * "party status Active at the Satellite and certificate matches the registered one", by x5t#s256 or x5c).
 */
import { x5cCertificates } from "../jwt/index.ts";
import type { PartyView } from "../model/registry-trust.ts";
import { EXTRA_NAME_OIDS, sha256Thumbprint, subjectOf, toBase64Der } from "../pki/index.ts";
import { defineCheck, fail, pass, show } from "./check.ts";

/** Base64 DER of a registered `x5c` value, armour and whitespace removed. */
function bareBase64(value: string): string {
  return value.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s/g, "");
}

/** Why `party`'s adherence does not allow trust at `nowMs`, or undefined when it does. A date that does not parse is a problem, not "no limit". */
export function adherenceProblem(party: PartyView, nowMs: number): string | undefined {
  if (party.adherenceStatus !== "Active")
    return `adherence status is ${show(party.adherenceStatus)}, not "Active"`;
  const start = party.adherenceStart === undefined ? Number.NaN : Date.parse(party.adherenceStart);
  const end = party.adherenceEnd === undefined ? Number.NaN : Date.parse(party.adherenceEnd);
  if (party.adherenceStart !== undefined && Number.isNaN(start))
    return `adherence start date ${show(party.adherenceStart)} is not a date (ISO 8601 expected)`;
  if (party.adherenceEnd !== undefined && Number.isNaN(end))
    return `adherence end date ${show(party.adherenceEnd)} is not a date (ISO 8601 expected)`;
  if (!Number.isNaN(start) && start > nowMs) return `adherence starts only on ${party.adherenceStart}`;
  if (!Number.isNaN(end) && end < nowMs) return `adherence ended on ${party.adherenceEnd}`;
  return undefined;
}

/**
 * The party ids a signer certificate carries: subject serialNumber (v1.x/v2.0 test PKI) and organizationIdentifier,
 * as written and in its `did:ishare:EU.<CC>.<id>` form (eIDAS eSeal convention, v2.1; spec digest §1, §8).
 */
export function certificatePartyIds(cert: Parameters<typeof subjectOf>[0]): string[] {
  const ids = new Set<string>();
  for (const oid of [EXTRA_NAME_OIDS.serialNumber, EXTRA_NAME_OIDS.organizationIdentifier]) {
    for (const value of cert.subjectName.getField(oid)) ids.add(value);
  }
  // partyIdFromCertificate(cert) needs no adding: it is the first serialNumber, an organizationIdentifier
  // already in did:ishare form, or the did:ishare form of the first organizationIdentifier (added below).
  const orgId = cert.subjectName.getField(EXTRA_NAME_OIDS.organizationIdentifier)[0];
  const country = orgId ? /^[A-Z]{3}([A-Z]{2})-/.exec(orgId)?.[1] : undefined;
  if (orgId && country) ids.add(`did:ishare:EU.${country}.${orgId}`);
  return [...ids];
}

export const jwtSignerRegistered = defineCheck<{ from: string }>({
  name: "jwt-signer-registered",
  description:
    "With trust.registry: the target is registered with adherence Active, and x5c[0] is one of its registered certificates (x5t#s256 or x5c). Without: x5c[0] carries the JWT's iss as its party id (serialNumber or organizationIdentifier).",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["from"],
    properties: { from: { type: "string", minLength: 1 } },
  },
  async run(context, { from }) {
    const jwt = context.jwt(from);
    if (!context.registryTrust) {
      if (!jwt.ok) return fail(`expected a signed JWT at ${jwt.where}: ${jwt.message}`);
      return signerNamesIss(jwt.header, jwt.payload, jwt.where);
    }
    if (!jwt.ok) return fail(`expected a signed JWT at ${jwt.where}: ${jwt.message}`);
    const trust = await context.registryTrust();
    const party = trust.party;
    if (!party)
      return fail(`expected ${trust.partyId} to be registered at ${trust.registry}, saw no party record`);
    const problem = adherenceProblem(party, context.nowMs);
    if (problem) return fail(`expected ${trust.partyId} Active at ${trust.registry}: ${problem}`);
    const certs = x5cCertificates(jwt.header);
    if (!certs.ok || certs.certs[0] === undefined) {
      return fail(
        `expected x5c with the signing certificate in ${jwt.where}: ${certs.ok ? "empty" : certs.message}`,
      );
    }
    const leaf = certs.certs[0];
    const thumbprint = sha256Thumbprint(leaf);
    const der = toBase64Der(leaf);
    const registered = party.certificates.some(
      (c) =>
        (c.x5tS256 !== undefined && c.x5tS256.replace(/[:\s]/g, "").toLowerCase() === thumbprint) ||
        (c.x5c !== undefined && bareBase64(c.x5c) === der),
    );
    return registered
      ? pass(`x5c[0] (${subjectOf(leaf)}) is registered for ${trust.partyId} at ${trust.registry}`)
      : fail(
          `expected x5c[0] of ${jwt.where} to be a certificate registered for ${trust.partyId} at ${trust.registry}: ` +
            `its x5t#s256 is ${thumbprint}, the registry lists ${show(party.certificates.map((c) => c.x5tS256 ?? "(x5c only)"))}`,
        );
  },
});

/** Without a registry, the one tie between signer and issuer: the certificate names the iss as its party id. */
function signerNamesIss(
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  where: string,
) {
  const certs = x5cCertificates(header);
  if (!certs.ok || certs.certs[0] === undefined) {
    return fail(
      `expected x5c with the signing certificate in ${where}: ${certs.ok ? "empty" : certs.message}`,
    );
  }
  const leaf = certs.certs[0];
  const iss = payload["iss"];
  const ids = certificatePartyIds(leaf);
  if (typeof iss === "string" && ids.includes(iss))
    return pass(
      `x5c[0] (${subjectOf(leaf)}) carries the iss ${iss} as its party id (no trust.registry configured)`,
    );
  return fail(
    `expected x5c[0] of ${where} to be a certificate of the iss ${show(iss)} (subject serialNumber or organizationIdentifier), ` +
      `saw ${subjectOf(leaf)}${ids.length === 0 ? ", which carries no party id; configure trust.registry to bind it by registration" : ""}`,
  );
}
