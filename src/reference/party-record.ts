/**
 * A registered party as the reference registry publishes it: the 2.x party object (spec digest §6.2), or the
 * iSHARE 3.0 party of claims (OpenAPI 3.0 at iSHAREScheme/openapi@0118ad0, `components.schemas.party`, `claim`).
 */
import { createHash } from "node:crypto";
import { fieldName } from "../model/field-names.ts";
import type { ReferenceContext } from "./context.ts";
import type { RegisteredParty } from "./registry-data.ts";

/** `2026-03-01T12:00:00Z` → `01-03-2026` (the `parties.adherence-dates-not-iso` fault). */
function dayMonthYear(iso: string): string {
  const [date] = iso.split("T");
  const [year, month, day] = (date ?? "").split("-");
  return `${day}-${month}-${year}`;
}

/**
 * The party object: id (2.x `party_id`, 3.0 `id`), name, registrar, adherence with ISO 8601 UTC dates,
 * certificates with x5c and `x5t#s256` (SHA-256 hex of the DER certificate), roles.
 */
export function partyRecord(party: RegisteredParty, context: ReferenceContext): Record<string, unknown> {
  const { faults } = context;
  const date = (iso: string): string =>
    faults.has("parties.adherence-dates-not-iso") ? dayMonthYear(iso) : iso;
  const self = party.partyId === context.self.partyId;
  return {
    [fieldName(context.version, "party_id")]: party.partyId,
    party_name: party.name,
    ...(self ? { capability_url: `${context.baseUrl}/capabilities` } : {}),
    registrar_id: context.self.partyId,
    adherence: {
      status: party.adherence.status,
      start_date: date(party.adherence.startDate),
      end_date: date(party.adherence.endDate),
    },
    certificates: party.certificates.map((certificate) => ({
      subject_name: certificate.subjectName,
      certificate_type: certificate.certificateType,
      enabled_from: certificate.enabledFrom,
      x5c: certificate.x5c,
      "x5t#s256": faults.has("parties.x5t-base64url")
        ? Buffer.from(certificate.x5tS256, "hex").toString("base64url")
        : certificate.x5tS256,
    })),
    roles: party.roles.map((role) => ({
      role: faults.has("parties.unknown-role-name") ? role.toLowerCase() : role,
      start_date: party.adherence.startDate,
      end_date: party.adherence.endDate,
    })),
  };
}

/**
 * The other ids a party is known by at 3.0 (`alsoKnownAs`): the reference derives a `did:ishare:` id from the
 * registered one ("all participants are automatically allocated the derived ishare did", OpenAPI 3.0
 * `/parties/{id}` parameter id).
 */
export function aliasesOf(partyId: string): string[] {
  return partyId.startsWith("did:") ? [] : [`did:ishare:${partyId}`];
}

/** A stable claim id in UUID form (claims carry `id`, format uuid): a hash of the party id and the claim's name. */
function claimId(partyId: string, name: string): string {
  const hex = createHash("sha256").update(`${partyId}\n${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The 3.0 claim status of a 2.x adherence status (claimSkeleton.status: active, inactive, revoked, suspended). */
function claimStatus(status: RegisteredParty["adherence"]["status"]): string {
  if (status === "Active") return "active";
  if (status === "Revoked") return "revoked";
  return "inactive";
}

/**
 * The 3.0 party: id, name, alsoKnownAs, schemaVersion and claims: frameworkCompliance (the 2.x adherence), one
 * frameworkRole per role, one x509Certificate (x5c array, `x5t#s256` SHA-256 hex) per registered certificate.
 */
export function partyRecord30(party: RegisteredParty, context: ReferenceContext): Record<string, unknown> {
  const { faults } = context;
  const date = (iso: string): string =>
    faults.has("parties.adherence-dates-not-iso") ? dayMonthYear(iso) : iso;
  const self = party.partyId === context.self.partyId;
  const status = claimStatus(party.adherence.status);
  const skeleton = (name: string, type: string, claimState: string) => ({
    id: claimId(party.partyId, name),
    type,
    status: claimState,
    registrarId: context.self.partyId,
  });
  const validity = { startDate: date(party.adherence.startDate), endDate: date(party.adherence.endDate) };
  return {
    id: party.partyId,
    name: party.name,
    alsoKnownAs: aliasesOf(party.partyId),
    schemaVersion: "v3.0",
    claims: [
      {
        ...skeleton("frameworkCompliance", "frameworkCompliance", status),
        ...validity,
        frameworkId: "iSHARE",
        ...(self ? { capabilityUrl: `${context.baseUrl}/capabilities` } : {}),
      },
      // "at minimum the following claims MUST be provided: ... frameworkAgreement" (OpenAPI 3.0 POST /parties).
      ...["Accession Agreement", "Terms of Use"].map((title) => ({
        ...skeleton(`frameworkAgreement ${title}`, "frameworkAgreement", status),
        ...validity,
        frameworkId: "iSHARE",
        agreementType: title.replaceAll(" ", ""),
        agreementId: title.toLowerCase().replaceAll(" ", "-"),
        title,
      })),
      ...party.roles.map((role) => ({
        ...skeleton(`frameworkRole ${role}`, "frameworkRole", status),
        ...validity,
        frameworkId: "iSHARE",
        roleId: role,
        loa: "high",
        compliancyVerified: "yes",
        legalAdherence: "yes",
      })),
      ...party.certificates.map((certificate) => ({
        ...skeleton(`x509Certificate ${certificate.x5tS256}`, "x509Certificate", "active"),
        startDate: certificate.enabledFrom,
        subjectName: certificate.subjectName,
        certificateType: certificate.certificateType,
        x5c: [certificate.x5c],
        "x5t#s256": faults.has("parties.x5t-base64url")
          ? Buffer.from(certificate.x5tS256, "hex").toString("base64url")
          : certificate.x5tS256,
      })),
    ],
  };
}

/** The party object of the target's version. */
export function partyRecordOf(party: RegisteredParty, context: ReferenceContext): Record<string, unknown> {
  return context.version === "3.0" ? partyRecord30(party, context) : partyRecord(party, context);
}
