import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CertificateMint, createClientAssertion } from "../assertions/index.ts";
import { decodeJws } from "../jwt/index.ts";
import { generateTestPki, issuerMaterial, sha256Fingerprint, type TestPki } from "../pki/index.ts";
import { callToken, send } from "./http-calls.fixture.ts";
import { type ReferenceTarget, startReferenceTarget } from "./index.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const now = () => NOW;
let pki: TestPki;
let v20: ReferenceTarget;
let v30: ReferenceTarget;
let token20: string;
let token30: string;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
  [v20, v30] = await Promise.all([
    startReferenceTarget({ pki, now }),
    startReferenceTarget({ pki, now, version: "3.0" }),
  ]);
  const mint = new CertificateMint(issuerMaterial(pki), now);
  const tokenOf = async (target: ReferenceTarget) =>
    String(
      (await callToken({ baseUrl: target.baseUrl, audience: target.partyId, pki, mint, now })).json?.[
        "access_token"
      ],
    );
  [token20, token30] = await Promise.all([tokenOf(v20), tokenOf(v30)]);
});
afterAll(() => Promise.all([v20.close(), v30.close()]));

async function get(target: ReferenceTarget, path: string, token?: string) {
  return send(`${target.baseUrl}${path}`, "GET", token ? { authorization: `Bearer ${token}` } : {});
}

/** The decoded payload of the JWT in member `member` of a reply. */
function payloadOf(
  reply: { json: Record<string, unknown> | undefined },
  member: string,
): Record<string, unknown> {
  const decoded = decodeJws(String(reply.json?.[member]));
  if (!decoded.ok) throw new Error(`no JWT in ${member}: ${decoded.message}`);
  return decoded.payload;
}

describe("reference registry: /parties", () => {
  it("lists every registered party for name=*, addressed to the caller, 2.0 names", async () => {
    const reply = await get(v20, "/parties?name=*", token20);
    expect(reply.status).toBe(200);
    const payload = payloadOf(reply, "parties_token");
    expect(payload["aud"]).toBe("EU.EORI.NL000000001");
    const info = payload["parties_info"] as { count: number; data: Array<Record<string, unknown>> };
    expect(info.data.map((party) => party["party_id"])).toEqual([
      "EU.EORI.NL000000004",
      "EU.EORI.NL000000001",
      "EU.EORI.NL000000003",
      "EU.EORI.NL000000005",
      "EU.EORI.NL000000006",
    ]);
    expect(info.count).toBe(5);
    const self = info.data[0]!;
    expect(self).toMatchObject({
      party_name: "iSHARE Conformance Reference",
      capability_url: `${v20.baseUrl}/capabilities`,
      adherence: { status: "Active" },
      roles: [{ role: "AuthorisationRegistry" }, { role: "iShareSatellite" }],
    });
    expect((self["certificates"] as Array<Record<string, unknown>>)[0]?.["x5t#s256"]).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  it("filters by eori (2.0) or id (3.0, camelCase members), by name wildcard and by active_only", async () => {
    const byEori = payloadOf(await get(v20, "/parties?eori=EU.EORI.NL000000003", token20), "parties_token");
    expect(byEori["parties_info"]).toMatchObject({ count: 1, data: [{ party_id: "EU.EORI.NL000000003" }] });
    const byId = payloadOf(await get(v30, "/parties?id=EU.EORI.NL000000003", token30), "partiesToken");
    expect(byId["partiesInfo"]).toMatchObject({ count: 1, data: [{ id: "EU.EORI.NL000000003" }] });
    const byName = payloadOf(await get(v20, "/parties?name=*truck*", token20), "parties_token");
    expect(byName["parties_info"]).toMatchObject({ count: 1, data: [{ party_name: "ABC Trucking" }] });
    const inactive = payloadOf(await get(v20, "/parties?active_only=false", token20), "parties_token");
    expect(inactive["parties_info"]).toMatchObject({ count: 1, data: [{ party_id: "EU.EORI.NL000000006" }] });
  });

  it("pages by 10 (3.0: pageSize) and refuses invalid paging or no filter with 400, no token with 401", async () => {
    const page = payloadOf(await get(v30, "/parties?name=*&pageSize=2&page=3", token30), "partiesToken");
    // OpenAPI 3.0 paginationInfo (iSHAREScheme/openapi@0118ad0): totalCount all found, count this page's items.
    expect(page["partiesInfo"]).toMatchObject({
      currentPage: 3,
      pageSize: 2,
      totalPages: 3,
      totalCount: 5,
      count: 1,
      data: [{ id: "EU.EORI.NL000000006" }],
    });
    const all = payloadOf(await get(v30, "/parties", token30), "partiesToken")["partiesInfo"];
    expect(all).toMatchObject({ totalCount: 5, count: 5 });
    expect((await get(v20, "/parties?name=*&page=0", token20)).status).toBe(400);
    const tooLarge = await get(v30, "/parties?name=*&pageSize=101", token30);
    expect([tooLarge.status, tooLarge.headers["content-type"], tooLarge.json]).toEqual([
      400,
      "application/problem+json",
      {
        type: "about:blank",
        title: "Bad Request",
        status: 400,
        detail: "page and pageSize (1-100) must be positive integers",
      },
    ]);
    const anonymous30 = await get(v30, "/parties?name=*");
    expect([
      anonymous30.status,
      anonymous30.headers["content-type"],
      anonymous30.headers["www-authenticate"],
    ]).toEqual([401, "application/problem+json", "Bearer"]);
    const none = await get(v20, "/parties", token20);
    expect([none.status, none.json?.["error_description"]]).toEqual([
      400,
      "at least one of name, eori, active_only is required (name=* lists all)",
    ]);
    expect((await get(v20, "/parties?name=*")).status).toBe(401);
    expect(
      (await send(`${v20.baseUrl}/parties?name=*`, "POST", { authorization: `Bearer ${token20}` })).status,
    ).toBe(405);
  });

  it("/parties/{id} answers the record (percent-encoded ids too) or 404", async () => {
    const one = await get(v30, `/parties/${encodeURIComponent("EU.EORI.NL000000001")}`, token30);
    expect(payloadOf(one, "partyToken")["partyInfo"]).toMatchObject({ id: "EU.EORI.NL000000001" });
    const alias = await get(v30, "/parties/did:ishare:EU.EORI.NL000000001", token30);
    expect(payloadOf(alias, "partyToken")["partyInfo"]).toMatchObject({
      id: "EU.EORI.NL000000001",
      alsoKnownAs: ["did:ishare:EU.EORI.NL000000001"],
    });
    const byAlias = await get(v30, "/parties?alsoKnownAs=did:ishare:EU.EORI.NL000000003", token30);
    expect(payloadOf(byAlias, "partiesToken")["partiesInfo"]).toMatchObject({
      totalCount: 1,
      data: [{ id: "EU.EORI.NL000000003" }],
    });
    const unknown = await get(v20, "/parties/EU.EORI.NL000000099", token20);
    expect([unknown.status, unknown.json?.["error"]]).toEqual([404, "not_found"]);
    expect((await get(v20, "/parties/EU.EORI.NL000000001")).status).toBe(401);
    expect((await get(v20, "/parties/a/b", token20)).status).toBe(404);
    expect((await get(v20, "/parties/%E0%A4%A", token20)).status).toBe(400);
  });
});

describe("reference registry: /trusted_list, /versions, /dataspaces", () => {
  it("trusted list: the test root's SHA-256 fingerprint, valid and granted, per version's names; token required", async () => {
    const list = payloadOf(await get(v20, "/trusted_list", token20), "trusted_list_token")["trusted_list"];
    expect(list).toEqual([
      {
        subject: "CN=iSHARE Conformance Test Root CA, O=iSHARE Conformance Test, C=NL",
        certificate_fingerprint: sha256Fingerprint(pki.root.certificate),
        validity: "valid",
        status: "granted",
      },
    ]);
    // 3.0 serves the trusted list at /trustedList (OpenAPI 3.0 /[v3.0]/trustedList), not /trusted_list.
    const v3 = payloadOf(await get(v30, "/trustedList", token30), "trustedListToken")["trustedList"];
    expect(v3).toEqual([
      expect.objectContaining({ certificateFingerprint: sha256Fingerprint(pki.root.certificate) }),
    ]);
    expect((await get(v30, "/trusted_list", token30)).status).toBe(404);
    expect((await get(v20, "/trusted_list")).status).toBe(401);
  });

  it("versions answers anonymously without aud, and with aud for a valid token; a bad token is 401", async () => {
    const anonymous = payloadOf(await get(v20, "/versions"), "versions_token");
    expect(anonymous).not.toHaveProperty("aud");
    expect(anonymous["versions_info"]).toEqual([
      { version_name: "2.0.0", valid_from: "2024-01-01T00:00:00Z", version_status: "active" },
    ]);
    expect(payloadOf(await get(v20, "/versions", token20), "versions_token")["aud"]).toBe(
      "EU.EORI.NL000000001",
    );
    expect((await get(v20, "/versions", "dW5rbm93bi10b2tlbi1mb3ItdGhlLXJlZmVyZW5jZQ")).status).toBe(401);
  });

  it("dataspaces lists the conformance data space with a token and refuses without", async () => {
    const info = payloadOf(await get(v20, "/dataspaces", token20), "dataspace_list_token")["dataspace_info"];
    expect(info).toMatchObject({
      count: 1,
      total_count: 1,
      data: [{ dataspace_id: "EU.DS.MOB.NL.CONFORMANCE" }],
    });
    expect((await get(v20, "/dataspaces")).status).toBe(401);
  });
});

describe("reference registry: 3.0 /frameworks, paged /dataspaces, the party of claims", () => {
  it("frameworks: a signed, paged frameworksInfo addressed to the caller; a token is required; no /versions", async () => {
    const payload = payloadOf(await get(v30, "/frameworks", token30), "frameworksToken");
    expect(payload["aud"]).toBe("EU.EORI.NL000000001");
    // The shape of the OpenAPI 3.0 frameworksResponse example (iSHAREScheme/openapi@0118ad0).
    expect(payload["frameworksInfo"]).toEqual({
      currentPage: 1,
      pageSize: 10,
      totalPages: 1,
      totalCount: 1,
      count: 1,
      data: [
        {
          id: "iSHARE",
          title: "iSHARE Trust Framework",
          defUrl: "https://framework.ishare.eu",
          website: "https://www.ishare.eu",
          frameworkOwner: "iSHARE Foundation",
          versions: [{ version: "3.0", status: "active" }],
        },
      ],
    });
    expect((await get(v30, "/frameworks")).status).toBe(401);
    expect((await get(v30, "/versions")).status).toBe(404);
    expect((await get(v20, "/frameworks", token20)).status).toBe(404);
  });

  it("dataspaces: dataspacesToken with paged dataspacesInfo of dataspace objects", async () => {
    const info = payloadOf(await get(v30, "/dataspaces?page=1&pageSize=5", token30), "dataspacesToken")[
      "dataspacesInfo"
    ];
    expect(info).toMatchObject({
      currentPage: 1,
      pageSize: 5,
      totalCount: 1,
      count: 1,
      data: [{ id: "EU.DS.MOB.NL.CONFORMANCE", title: "iSHARE Conformance Test Data Space" }],
    });
  });

  it("a 3.0 party carries claims: frameworkCompliance, frameworkAgreement, frameworkRole, x509Certificate", async () => {
    const info = payloadOf(await get(v30, "/parties/EU.EORI.NL000000001", token30), "partyToken")[
      "partyInfo"
    ] as {
      claims: Array<Record<string, unknown>>;
    };
    expect(info).toMatchObject({
      id: "EU.EORI.NL000000001",
      name: expect.any(String),
      schemaVersion: "v3.0",
    });
    expect(info.claims.map((claim) => claim["type"])).toEqual([
      "frameworkCompliance",
      "frameworkAgreement",
      "frameworkAgreement",
      "frameworkRole",
      ...info.claims.slice(4).map(() => "x509Certificate"),
    ]);
    const certificate = info.claims.find((claim) => claim["type"] === "x509Certificate")!;
    expect(certificate).toMatchObject({
      status: "active",
      registrarId: "EU.EORI.NL000000004",
      x5c: [expect.any(String)],
      "x5t#s256": expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(info.claims[0]).toMatchObject({ status: "active", frameworkId: "iSHARE" });
  });
});

describe("reference registry: 2.x /ep_creation", () => {
  const mint = () => new CertificateMint(issuerMaterial(pki), now);
  const creation = async (as: "reference" | "client", partyId: string) =>
    (
      await createClientAssertion({
        identity: pki.parties[as],
        audience: v20.partyId,
        nowMs: NOW,
        claims: { parties_info: { party_id: partyId, party_name: "New EP" } },
        mint: mint(),
      })
    ).jwt;
  const post = (target: ReferenceTarget, token: string, jwt: string) =>
    send(
      `${target.baseUrl}/ep_creation`,
      "POST",
      { authorization: `Bearer ${token}`, "content-type": "application/json" },
      JSON.stringify({ ep_creation_token: jwt }),
    );

  it("creates the party for the registry itself, answers a signed record and lists it", async () => {
    const own = await callToken(
      { baseUrl: v20.baseUrl, audience: v20.partyId, pki, mint: mint(), now },
      {
        as: "reference",
      },
    );
    const reply = await post(
      v20,
      String(own.json?.["access_token"]),
      await creation("reference", "EU.EORI.NL123450001"),
    );
    expect(reply.status).toBe(200);
    const payload = payloadOf(reply, "ep_creation_token");
    expect(payload["aud"]).toBe(v20.partyId);
    expect(payload["parties_info"]).toMatchObject({ party_id: "EU.EORI.NL123450001", party_name: "New EP" });
    expect((await get(v20, "/parties/EU.EORI.NL123450001", token20)).status).toBe(200);
  });

  it("refuses any other caller with 403, a missing token with 401, and has no /ep_creation on 3.0", async () => {
    const jwt = await creation("client", "EU.EORI.NL123450002");
    expect((await post(v20, token20, jwt)).status).toBe(403);
    const anonymous = await send(
      `${v20.baseUrl}/ep_creation`,
      "POST",
      {},
      JSON.stringify({ ep_creation_token: jwt }),
    );
    expect(anonymous.status).toBe(401);
    expect((await post(v30, token30, jwt)).status).toBe(404);
    expect((await get(v20, "/parties/EU.EORI.NL123450002", token20)).status).toBe(404);
  });
});
