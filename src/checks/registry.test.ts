import { beforeAll, describe, expect, test } from "vitest";
import type { IshareVersion } from "../model/target.ts";
import { generateTestPki, sha256Fingerprint, type TestPki, toBase64Der } from "../pki/index.ts";
import { checkContext, checkTarget } from "../test-support/check-context.ts";
import {
  partiesInfoConsistent,
  partiesMatch,
  partyRecordsValid,
  trustedListCoversSigner,
  trustedListValid,
} from "./registry.ts";

/** A compact JWS whose signature is not examined by these checks. */
function unsigned(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "RS256" },
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part(header)}.${part(payload)}.c2ln`;
}

const respond = (
  member: string,
  payload: Record<string, unknown>,
  version: IshareVersion = "2.0",
  header?: Record<string, unknown>,
) => checkContext({ body: { [member]: unsigned(payload, header) } }, { target: checkTarget({ version }) });

const record = (id: string, change: Record<string, unknown> = {}) => ({
  party_id: id,
  party_name: "ABC Trucking",
  adherence: { status: "Active", start_date: "2025-01-01T00:00:00Z", end_date: "2030-01-01T00:00:00Z" },
  certificates: [{ subject_name: "CN=ABC", "x5t#s256": "ab".repeat(32), x5c: "MIIB" }],
  ...change,
});

const parties = (count: number, data: unknown[]) =>
  respond("parties_token", { parties_info: { count, data } });
const at = { from: "parties_token", at: "parties_info" };

describe("parties-info-consistent", () => {
  test("count and data agree on page 1 and page 2", async () => {
    const six = Array.from({ length: 6 }, (_, i) => record(`EU.EORI.NL00000000${i}`));
    expect(await partiesInfoConsistent.run(parties(6, six), at)).toEqual({
      ok: true,
      message: "count 6, page 1 holds 6 record(s)",
    });
    expect(await partiesInfoConsistent.run(parties(6, []), { ...at, page: 2 })).toMatchObject({ ok: true });
    expect(await partiesInfoConsistent.run(parties(13, six.slice(0, 3)), { ...at, page: 2 })).toMatchObject({
      ok: true,
    });
  });

  test("a wrong count, or page 2 repeating page 1, is named", async () => {
    const six = Array.from({ length: 6 }, (_, i) => record(`EU.EORI.NL00000000${i}`));
    expect(await partiesInfoConsistent.run(parties(7, six), at)).toEqual({
      ok: false,
      message:
        "expected 7 record(s) in body.parties_token → parties_info.data (count 7, page 1, page size 10), saw 6",
    });
    expect(await partiesInfoConsistent.run(parties(6, six), { ...at, page: 2 })).toMatchObject({ ok: false });
    expect(await partiesInfoConsistent.run(parties(Number.NaN, six), at)).toMatchObject({
      ok: false,
      message: expect.stringContaining("count to be a non-negative integer"),
    });
  });
});

describe("parties-info-consistent at 3.0 (OpenAPI 3.0 paginationInfo: totalCount all, count this page)", () => {
  const at30 = { from: "partiesToken", at: "partiesInfo" };
  const info30 = (info: Record<string, unknown>) => respond("partiesToken", { partiesInfo: info }, "3.0");
  const thirteen = Array.from({ length: 13 }, (_, i) => ({ id: `did:ishare:EU.NL.NTRNL-${10000000 + i}` }));

  test("totalCount is the total, count the page's items, currentPage the page asked for", async () => {
    const page2 = {
      currentPage: 2,
      pageSize: 10,
      totalPages: 2,
      totalCount: 13,
      count: 3,
      data: thirteen.slice(10),
    };
    expect(await partiesInfoConsistent.run(info30(page2), { ...at30, page: 2 })).toEqual({
      ok: true,
      message: "count 13, page 2 holds 3 record(s)",
    });
  });

  test("count as the total (the 2.x meaning), a missing totalCount or another currentPage is named", async () => {
    const page2 = {
      currentPage: 2,
      pageSize: 10,
      totalPages: 2,
      totalCount: 13,
      count: 13,
      data: thirteen.slice(10),
    };
    expect(await partiesInfoConsistent.run(info30(page2), { ...at30, page: 2 })).toEqual({
      ok: false,
      message:
        "expected body.partiesToken → partiesInfo.count to be the number of items in this response (3), saw 13 (the totalCount: count is the page's items in 3.0)",
    });
    expect(
      await partiesInfoConsistent.run(info30({ count: 3, data: thirteen.slice(10) }), { ...at30, page: 2 }),
    ).toMatchObject({ ok: false, message: expect.stringContaining("totalCount (every item found)") });
    expect(
      await partiesInfoConsistent.run(info30({ ...page2, count: 3, currentPage: 1 }), { ...at30, page: 2 }),
    ).toMatchObject({ ok: false, message: "expected body.partiesToken → partiesInfo.currentPage 2, saw 1" });
  });
});

describe("parties-match", () => {
  test("every record is the party asked for, with the expected count", async () => {
    const one = parties(1, [record("EU.EORI.NL000000001")]);
    expect(await partiesMatch.run(one, { ...at, id: "EU.EORI.NL000000001", count: 1 })).toMatchObject({
      ok: true,
    });
    expect(
      await partiesMatch.run(parties(0, []), { ...at, id: "EU.EORI.NL999999998", count: 0 }),
    ).toMatchObject({
      ok: true,
    });
  });

  test("an ignored filter shows as other parties or a wrong count", async () => {
    const all = parties(2, [record("EU.EORI.NL000000001"), record("EU.EORI.NL000000004")]);
    expect(await partiesMatch.run(all, { ...at, id: "EU.EORI.NL000000001" })).toEqual({
      ok: false,
      message:
        'expected only records of EU.EORI.NL000000001 in body.parties_token → parties_info.data, saw also ["EU.EORI.NL000000004"]',
    });
    expect(await partiesMatch.run(all, { ...at, id: "EU.EORI.NL999999998", count: 0 })).toEqual({
      ok: false,
      message:
        "expected 0 record(s) for EU.EORI.NL999999998 in body.parties_token → parties_info, saw count 2 and 2 record(s)",
    });
  });

  test("3.0 records carry id, and alsoKnownAs counts as a match", async () => {
    const context = respond(
      "partiesToken",
      {
        partiesInfo: {
          totalCount: 1,
          count: 1,
          data: [{ id: "did:ishare:EU.NL.NTRNL-10000001", alsoKnownAs: ["EU.EORI.NL000000001"] }],
        },
      },
      "3.0",
    );
    const params = { from: "partiesToken", at: "partiesInfo", count: 1 };
    expect(
      await partiesMatch.run(context, { ...params, id: "did:ishare:EU.NL.NTRNL-10000001" }),
    ).toMatchObject({
      ok: true,
    });
    expect(await partiesMatch.run(context, { ...params, id: "EU.EORI.NL000000001" })).toMatchObject({
      ok: true,
    });
  });
});

describe("party-records-valid", () => {
  const trustAt = { from: "parties_token", at: "parties_info.data", schema: "party-trust" };

  test("sound trust fields pass; each broken trust field is named", async () => {
    expect(await partyRecordsValid.run(parties(1, [record("EU.EORI.NL000000001")]), trustAt)).toMatchObject({
      ok: true,
    });
    const base64url = record("EU.EORI.NL000000001", {
      certificates: [{ "x5t#s256": Buffer.alloc(32, 1).toString("base64url") }],
    });
    expect((await partyRecordsValid.run(parties(1, [base64url]), trustAt)).message).toMatch(
      /\[0\] "EU\.EORI\.NL000000001": certificates\[0\]\.x5t#s256: must match pattern/,
    );
    const dates = record("EU.EORI.NL000000001", {
      adherence: { status: "Active", start_date: "01-01-2025", end_date: "2030-01-01T00:00:00Z" },
    });
    expect((await partyRecordsValid.run(parties(1, [dates]), trustAt)).message).toContain(
      'adherence.start_date: must match format "date-time"',
    );
  });

  test("real-world quirks pass the trust schema and are reported by the whole-record schema", async () => {
    const quirky = record("EU.EORI.NL000000001", {
      roles: [{ role: "ServiceProvider", loa: "High", compliancy_verified: "yes" }],
      authregistery: [],
    });
    expect(await partyRecordsValid.run(parties(1, [quirky]), trustAt)).toMatchObject({ ok: true });
    const full = await partyRecordsValid.run(parties(1, [quirky]), { ...trustAt, schema: "party-record" });
    expect(full.ok).toBe(false);
    expect(full.message).toContain('unknown key "authregistery"');
    expect(full.message).toContain("roles[0].loa: must be integer");
  });

  test("3.0 names the id member id: a 3.0 record with party_id lacks it", async () => {
    const v3 = (data: unknown) => respond("partyToken", { partyInfo: data }, "3.0");
    const params = { from: "partyToken", at: "partyInfo", schema: "party-trust" };
    const { party_id: id, ...rest } = record("x");
    expect(await partyRecordsValid.run(v3({ id, ...rest }), params)).toMatchObject({ ok: true });
    expect(await partyRecordsValid.run(v3(record("x")), params)).toEqual({
      ok: false,
      message:
        'expected every party record in body.partyToken → partyInfo to match party-trust: (top level): missing required key "id"',
    });
  });
});

describe("trusted list", () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await generateTestPki({ now: new Date(Date.UTC(2026, 10, 22)) });
  });
  const entry = (fingerprint: string, change: Record<string, unknown> = {}) => ({
    subject: "CN=iSHARE Conformance Test Root CA",
    certificate_fingerprint: fingerprint,
    validity: "valid",
    status: "granted",
    ...change,
  });
  const list = (entries: unknown[]) =>
    respond("trusted_list_token", { trusted_list: entries }, "2.0", {
      alg: "RS256",
      x5c: pki.parties.reference.chain.map(toBase64Der),
    });
  const params = { from: "trusted_list_token", at: "trusted_list" };

  test("trusted-list-valid accepts SHA-256 hex and the allowed values; upper case only on request", async () => {
    const root = sha256Fingerprint(pki.root.certificate);
    expect(await trustedListValid.run(list([entry(root)]), params)).toMatchObject({ ok: true });
    expect(await trustedListValid.run(list([entry(root.toLowerCase())]), params)).toMatchObject({ ok: true });
    expect(
      await trustedListValid.run(list([entry(root.toLowerCase())]), { ...params, upperCase: true }),
    ).toMatchObject({
      ok: false,
    });
  });

  test("trusted-list-valid names colon-separated fingerprints and unknown status values", async () => {
    const colons = sha256Fingerprint(pki.root.certificate).match(/../g)!.join(":");
    const verdict = await trustedListValid.run(list([entry(colons, { status: "active" })]), params);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain("[0].certificate_fingerprint");
    expect(verdict.message).toContain("is not SHA-256 hex (64 digits, no colons)");
    expect(verdict.message).toContain(
      '[0].status "active" (allowed: granted, withdrawn, supervisionceased, undersupervision)',
    );
  });

  test("trusted-list-covers-signer: the list holds the SHA-256 of a CA of the signer's own chain", async () => {
    const root = sha256Fingerprint(pki.root.certificate);
    expect(await trustedListCoversSigner.run(list([entry(root)]), params)).toMatchObject({ ok: true });
    const wrong = await trustedListCoversSigner.run(list([entry("AB".repeat(32))]), params);
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toContain(`x5c[2] ${root}`);
    expect(
      await trustedListCoversSigner.run(list([entry(root, { validity: "invalid" })]), params),
    ).toMatchObject({
      ok: false,
    });
  });
});
