/**
 * Checks on a participant registry's signed answers (spec digest §6): `parties_info` count, data and pages
 * agree; filters are honoured; party records hold sound trust fields; the trusted list is well formed and
 * covers the registry's own chain. Member names follow the target's version (model/field-names.ts).
 */
import { describeSchemaErrors, hasSchema, validatorFor } from "../config/schemas.ts";
import { x5cCertificates } from "../jwt/index.ts";
import { fieldName } from "../model/field-names.ts";
import type { IshareVersion } from "../model/target.ts";
import { isGranted, sha256Fingerprint, subjectOf, trustedListEntryFor } from "../pki/index.ts";
import { type CheckVerdict, defineCheck, fail, pass, show } from "./check.ts";
import { withPayloadMember } from "./jwt-payload.ts";

/** v2.0 fixes the page size of /parties at 10 (spec digest §6.2). */
export const DEFAULT_PAGE_SIZE = 10;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const base = (extra: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  additionalProperties: false,
  required: ["from", "at", ...required],
  properties: { from: { type: "string", minLength: 1 }, at: { type: "string", minLength: 1 }, ...extra },
});

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

/**
 * `{count, data}` of a parties_info member (count: every party found), or the failure saying what is wrong with
 * it. 3.0 pages the list with `paginationInfo` (OpenAPI 3.0 at iSHAREScheme/openapi@0118ad0,
 * `components.schemas.paginationInfo`): `totalCount` is every item found, `count` the items in this response
 * (it must equal data's length), `currentPage` the page served; the total is returned as `count`.
 */
function partiesInfo(
  value: unknown,
  where: string,
  version: IshareVersion,
  page?: number,
): { count: number; data: unknown[] } | CheckVerdict {
  const members = version === "3.0" ? "totalCount, count and data" : "count and data";
  if (!isObject(value)) return fail(`expected ${where} to be an object with ${members}, saw ${show(value)}`);
  const { count, data } = value;
  if (!isCount(count)) {
    return fail(`expected ${where}.count to be a non-negative integer, saw ${show(count)}`);
  }
  if (!Array.isArray(data)) return fail(`expected ${where}.data to be an array, saw ${show(data)}`);
  if (version !== "3.0") return { count, data };
  const { totalCount, currentPage } = value;
  if (!isCount(totalCount)) {
    return fail(
      `expected ${where}.totalCount (every item found) to be a non-negative integer, saw ${show(totalCount)}`,
    );
  }
  if (count !== data.length) {
    return fail(
      `expected ${where}.count to be the number of items in this response (${data.length}), saw ${count}${count === totalCount ? " (the totalCount: count is the page's items in 3.0)" : ""}`,
    );
  }
  if (page !== undefined && currentPage !== undefined && currentPage !== page) {
    return fail(`expected ${where}.currentPage ${page}, saw ${show(currentPage)}`);
  }
  return { count: totalCount, data };
}

/** The party id of a record in `version`'s spelling (3.0: `id`), and the other ids it is known by. */
function idsOf(record: unknown, version: IshareVersion): { id: unknown; aliases: unknown[] } {
  if (!isObject(record)) return { id: undefined, aliases: [] };
  const aliases = record["alsoKnownAs"];
  return { id: record[fieldName(version, "party_id")], aliases: Array.isArray(aliases) ? aliases : [] };
}

/**
 * `parties-info-consistent`: count (3.0: totalCount) is the total found and data is the requested page of it:
 * with page size n (10 in v2.0, the default of 3.0 pageSize), page p holds min(n, max(0, count - (p - 1) * n))
 * records; 3.0: count is data's length and currentPage the page asked for.
 */
export const partiesInfoConsistent = defineCheck<{
  from: string;
  at: string;
  page?: number;
  pageSize?: number;
}>({
  name: "parties-info-consistent",
  description:
    "parties_info.count is a non-negative integer and data holds exactly the records of the requested page.",
  params: base({ page: { type: "integer", minimum: 1 }, pageSize: { type: "integer", minimum: 1 } }),
  run: (context, { from, at, page = 1, pageSize = DEFAULT_PAGE_SIZE }) =>
    withPayloadMember(context, from, at, (member) => {
      const info = partiesInfo(member.value, member.where, context.target.version, page);
      if ("ok" in info) return info;
      const expected = Math.min(pageSize, Math.max(0, info.count - (page - 1) * pageSize));
      return info.data.length === expected
        ? pass(`count ${info.count}, page ${page} holds ${expected} record(s)`)
        : fail(
            `expected ${expected} record(s) in ${member.where}.data (count ${info.count}, page ${page}, page size ${pageSize}), saw ${info.data.length}`,
          );
    }),
});

/** `parties-match`: every listed record is the party asked for (by id or alsoKnownAs), and count is as expected. */
export const partiesMatch = defineCheck<{ from: string; at: string; id: string; count?: number }>({
  name: "parties-match",
  description:
    "Every record in parties_info.data carries the requested party id (3.0: id or alsoKnownAs), and count is the expected one.",
  params: base({ id: { type: "string", minLength: 1 }, count: { type: "integer", minimum: 0 } }, ["id"]),
  run: (context, { from, at, id, count }) =>
    withPayloadMember(context, from, at, (member) => {
      const version = context.target.version;
      const info = partiesInfo(member.value, member.where, version);
      if ("ok" in info) return info;
      const wanted = context.render(id);
      if (count !== undefined && (info.count !== count || info.data.length !== count)) {
        return fail(
          `expected ${count} record(s) for ${wanted} in ${member.where}, saw count ${info.count} and ${info.data.length} record(s)`,
        );
      }
      const others = info.data
        .map((record) => idsOf(record, version))
        .filter(({ id: own, aliases }) => own !== wanted && !aliases.includes(wanted));
      return others.length === 0
        ? pass(`${info.data.length} record(s), all ${wanted}`)
        : fail(
            `expected only records of ${wanted} in ${member.where}.data, saw also ${show(others.map((o) => o.id))}`,
          );
    }),
});

/** A record with the version's id member renamed to the 2.0 `party_id`, so one schema serves every version. */
function canonicalRecord(record: unknown, version: IshareVersion): unknown {
  const idName = fieldName(version, "party_id");
  if (idName === "party_id" || !isObject(record)) return record;
  const { [idName]: id, party_id: _ignored, ...rest } = record;
  return id === undefined ? rest : { party_id: id, ...rest };
}

/**
 * `party-records-valid`: each party record at `at` (an array of records, or one record) is valid against a
 * schema from schemas/ (`party-trust` for the fields trust decisions use; `party-record` for the whole v2.0
 * field table). The version's id member (3.0: `id`) is read as `party_id`.
 */
export const partyRecordsValid = defineCheck<{ from: string; at: string; schema: string }>({
  name: "party-records-valid",
  description: "Each party record (an array of them, or one) is valid against a schema from schemas/.",
  params: base({ schema: { type: "string", minLength: 1 } }, ["schema"]),
  run: (context, { from, at, schema }) =>
    withPayloadMember(context, from, at, (member) => {
      if (!hasSchema(schema)) return fail(`schema ${schema} is not in schemas/ (harness configuration)`);
      const version = context.target.version;
      const records = Array.isArray(member.value) ? member.value : [member.value];
      const validate = validatorFor(schema);
      const idName = fieldName(version, "party_id");
      const problems: string[] = [];
      for (const [index, record] of records.entries()) {
        if (validate(canonicalRecord(record, version))) continue;
        const label = Array.isArray(member.value) ? `[${index}] ${show(idsOf(record, version).id, 60)}` : "";
        const errors = describeSchemaErrors(validate.errors).map((line) =>
          idName === "party_id" ? line : line.replaceAll('"party_id"', `"${idName}"`),
        );
        problems.push(`${label}${label ? ": " : ""}${errors.slice(0, 3).join("; ")}`);
      }
      return problems.length === 0
        ? pass(`${records.length} record(s) valid against ${schema}`)
        : fail(
            `expected every party record in ${member.where} to match ${schema}: ${problems.slice(0, 3).join(" | ")}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ""}`,
          );
    }),
});

const VALIDITY = ["valid", "invalid"];
const STATUS = ["granted", "withdrawn", "supervisionceased", "undersupervision"];

/**
 * `trusted-list-valid`: the trusted list is an array of {subject, certificate_fingerprint (64 hex digits,
 * no colons; upper case with `upperCase`), validity valid|invalid, status granted|withdrawn|
 * supervisionceased|undersupervision}.
 */
export const trustedListValid = defineCheck<{ from: string; at: string; upperCase?: boolean }>({
  name: "trusted-list-valid",
  description:
    "Each trusted-list entry has a subject, a SHA-256 fingerprint as 64 hex digits, and validity/status from the allowed sets.",
  params: base({ upperCase: { type: "boolean" } }),
  run: (context, { from, at, upperCase = false }) =>
    withPayloadMember(context, from, at, (member) => {
      if (!Array.isArray(member.value) || member.value.length === 0) {
        return fail(`expected ${member.where} to be a non-empty array, saw ${show(member.value)}`);
      }
      const fingerprintName = fieldName(context.target.version, "certificate_fingerprint");
      const pattern = upperCase ? /^[0-9A-F]{64}$/ : /^[0-9A-Fa-f]{64}$/;
      const problems: string[] = [];
      for (const [index, entry] of member.value.entries()) {
        if (!isObject(entry)) {
          problems.push(`[${index}] is ${show(entry)}, not an object`);
          continue;
        }
        if (typeof entry["subject"] !== "string" || entry["subject"] === "")
          problems.push(`[${index}].subject ${show(entry["subject"])}`);
        const fingerprint = entry[fingerprintName];
        if (typeof fingerprint !== "string" || !pattern.test(fingerprint)) {
          problems.push(
            `[${index}].${fingerprintName} ${show(fingerprint)} is not ${upperCase ? "upper-case " : ""}SHA-256 hex (64 digits, no colons)`,
          );
        }
        if (!VALIDITY.includes(entry["validity"] as string))
          problems.push(`[${index}].validity ${show(entry["validity"])} (allowed: ${VALIDITY.join(", ")})`);
        if (!STATUS.includes(entry["status"] as string))
          problems.push(`[${index}].status ${show(entry["status"])} (allowed: ${STATUS.join(", ")})`);
      }
      return problems.length === 0
        ? pass(`${member.value.length} well-formed trusted-list entries`)
        : fail(`expected well-formed entries in ${member.where}, saw ${problems.slice(0, 4).join("; ")}`);
    }),
});

/**
 * `trusted-list-covers-signer`: a CA of the list's own x5c chain is on the list, valid and granted: the
 * fingerprints are SHA-256 of the DER certificate, and the registry trusts its own signature.
 */
export const trustedListCoversSigner = defineCheck<{ from: string; at: string }>({
  name: "trusted-list-covers-signer",
  description:
    "A certificate of the trusted list's own x5c chain is on the list (SHA-256 of the DER certificate), valid and granted.",
  params: base({}),
  run: (context, { from, at }) =>
    withPayloadMember(context, from, at, (member) => {
      const certs = x5cCertificates(member.header);
      if (!certs.ok) return fail(`expected an x5c chain on ${member.where}: ${certs.message}`);
      if (!Array.isArray(member.value))
        return fail(`expected ${member.where} to be an array, saw ${show(member.value)}`);
      const fingerprintName = fieldName(context.target.version, "certificate_fingerprint");
      const list = member.value.filter(isObject).map((entry) => ({
        subject: String(entry["subject"] ?? ""),
        fingerprint: typeof entry[fingerprintName] === "string" ? (entry[fingerprintName] as string) : "",
        validity: String(entry["validity"] ?? ""),
        status: String(entry["status"] ?? ""),
      }));
      for (const cert of certs.certs) {
        const entry = trustedListEntryFor(cert, list);
        if (entry && isGranted(entry))
          return pass(`signer's CA ${subjectOf(cert)} is listed, valid and granted`);
      }
      const seen = certs.certs.map((cert, i) => `x5c[${i}] ${sha256Fingerprint(cert)}`).join(", ");
      return fail(
        `expected the SHA-256 fingerprint of a CA in the signer's own chain listed as valid and granted in ${member.where}, saw none of ${seen}`,
      );
    }),
});
