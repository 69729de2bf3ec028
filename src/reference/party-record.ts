/** A registered party as the reference registry publishes it: the v2.0 party object (spec digest §6.2). */
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
      role,
      start_date: party.adherence.startDate,
      end_date: party.adherence.endDate,
    })),
  };
}
