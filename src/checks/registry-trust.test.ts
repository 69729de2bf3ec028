import { beforeAll, describe, expect, test } from "vitest";
import { signCompactJws } from "../assertions/index.ts";
import { RegistryError } from "../errors.ts";
import type { PartyView, RegistryTrust } from "../model/registry-trust.ts";
import {
  createCertificate,
  generateTestPki,
  issuerMaterial,
  sha256Fingerprint,
  sha256Thumbprint,
  type TestPki,
  toBase64Der,
  toPem,
} from "../pki/index.ts";
import { checkContext, checkTarget } from "../test-support/check-context.ts";
import { x5cChainsToTrustedRoot } from "./jwt.ts";
import { adherenceProblem, certificatePartyIds, jwtSignerRegistered } from "./registry-trust.ts";

const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);
const from = { from: "capabilities_token" };
let pki: TestPki;
let jwt: string;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW_MS) });
  const party = pki.parties.reference;
  jwt = signCompactJws(
    { alg: "RS256", typ: "JWT", x5c: party.chain.map(toBase64Der) },
    { iss: party.partyId, sub: party.partyId, jti: "j", iat: NOW_MS / 1000, exp: NOW_MS / 1000 + 30 },
    party.privateKey,
    "RS256",
  );
});

function party(change: Partial<PartyView> = {}): PartyView {
  return {
    partyId: "EU.EORI.NL000000004",
    adherenceStatus: "Active",
    adherenceStart: "2025-01-01T00:00:00Z",
    adherenceEnd: "2030-01-01T00:00:00Z",
    certificates: [{ x5tS256: sha256Thumbprint(pki.parties.reference.chain[0]!) }],
    ...change,
  };
}

function trust(change: Partial<RegistryTrust> = {}): RegistryTrust {
  return {
    registry: "EU.EORI.NL000000000 at https://registry.example",
    trustedList: [
      {
        subject: "CN=root",
        fingerprint: sha256Fingerprint(pki.root.certificate),
        validity: "valid",
        status: "granted",
      },
    ],
    partyId: "EU.EORI.NL000000004",
    party: party(),
    ...change,
  };
}

// Local anchors that would reject the chain: with a registry, the trusted list decides instead.
const context = (registryTrust: RegistryTrust | Error) =>
  checkContext(
    { body: { capabilities_token: jwt } },
    { target: checkTarget({ anchors: [] }), nowMs: NOW_MS, registryTrust },
  );

describe("x5c-chains-to-trusted-root with trust from a registry", () => {
  test("passes when the root's SHA-256 fingerprint is granted on the trusted list (any case, colons allowed)", async () => {
    expect(await x5cChainsToTrustedRoot.run(context(trust()), from)).toMatchObject({ ok: true });
    const colons = sha256Fingerprint(pki.root.certificate).toLowerCase().match(/../g)!.join(":");
    const listed = trust({
      trustedList: [{ subject: "r", fingerprint: colons, validity: "valid", status: "granted" }],
    });
    expect(await x5cChainsToTrustedRoot.run(context(listed), from)).toMatchObject({ ok: true });
  });

  test("fails naming the missing fingerprints when no CA of the chain is listed", async () => {
    const verdict = await x5cChainsToTrustedRoot.run(context(trust({ trustedList: [] })), from);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain("trusted list of EU.EORI.NL000000000 at https://registry.example");
    expect(verdict.message).toContain(`SHA-256 fingerprint ${sha256Fingerprint(pki.root.certificate)}`);
  });

  test("fails when the CA is listed but withdrawn", async () => {
    const withdrawn = trust({
      trustedList: [
        {
          subject: "CN=root",
          fingerprint: sha256Fingerprint(pki.root.certificate),
          validity: "valid",
          status: "withdrawn",
        },
      ],
    });
    expect(await x5cChainsToTrustedRoot.run(context(withdrawn), from)).toMatchObject({
      ok: false,
      message: expect.stringContaining('with validity "valid" and status "withdrawn", not valid and granted'),
    });
  });

  test("an issuing CA on the list ends the chain there (v2.0: up to an issuing CA on the list)", async () => {
    const issuing = trust({
      trustedList: [
        {
          subject: "CN=issuing",
          fingerprint: sha256Fingerprint(pki.issuing.certificate),
          validity: "valid",
          status: "granted",
        },
      ],
    });
    expect(await x5cChainsToTrustedRoot.run(context(issuing), from)).toMatchObject({ ok: true });
  });

  test("rejects with the RegistryError when trust could not be established (the case is then broken)", async () => {
    const error = new RegistryError("targets.x.trust.registry: GET /trusted_list answered 500");
    await expect(x5cChainsToTrustedRoot.run(context(error), from)).rejects.toBe(error);
  });
});

describe("jwt-signer-registered", () => {
  test("without a registry, the signer's certificate must name the iss as its party id", async () => {
    const plain = checkContext({ body: { capabilities_token: jwt } }, { nowMs: NOW_MS });
    expect(await jwtSignerRegistered.run(plain, from)).toEqual({
      ok: true,
      message:
        "x5c[0] (CN=iSHARE Conformance Reference, serialNumber=EU.EORI.NL000000004, O=iSHARE Conformance Test, C=NL) carries the iss EU.EORI.NL000000004 as its party id (no trust.registry configured)",
    });
  });

  test("passes for an Active party whose registered certificate signed, by x5t#s256 or by x5c", async () => {
    expect(await jwtSignerRegistered.run(context(trust()), from)).toMatchObject({ ok: true });
    const leaf = pki.parties.reference.chain[0]!;
    const byX5c = trust({ party: party({ certificates: [{ x5c: toBase64Der(leaf) }] }) });
    expect(await jwtSignerRegistered.run(context(byX5c), from)).toMatchObject({ ok: true });
    const upper = trust({
      party: party({ certificates: [{ x5tS256: sha256Thumbprint(leaf).toUpperCase() }] }),
    });
    expect(await jwtSignerRegistered.run(context(upper), from)).toMatchObject({ ok: true });
  });

  test.each([
    [
      "unknown to the registry",
      () => {
        const { party: _none, ...unknown } = trust();
        return unknown;
      },
      "expected EU.EORI.NL000000004 to be registered at EU.EORI.NL000000000 at https://registry.example, saw no party record",
    ],
    [
      "not Active",
      () => trust({ party: party({ adherenceStatus: "NotActive" }) }),
      'expected EU.EORI.NL000000004 Active at EU.EORI.NL000000000 at https://registry.example: adherence status is "NotActive", not "Active"',
    ],
    [
      "adherence ended",
      () => trust({ party: party({ adherenceEnd: "2026-01-01T00:00:00Z" }) }),
      "expected EU.EORI.NL000000004 Active at EU.EORI.NL000000000 at https://registry.example: adherence ended on 2026-01-01T00:00:00Z",
    ],
  ])("fails when the target is %s", async (_name, view, message) => {
    expect(await jwtSignerRegistered.run(context(view()), from)).toEqual({ ok: false, message });
  });

  test("fails when x5c[0] is not a certificate registered for the target, naming both thumbprints", async () => {
    const other = sha256Thumbprint(pki.parties.client.chain[0]!);
    const verdict = await jwtSignerRegistered.run(
      context(trust({ party: party({ certificates: [{ x5tS256: other }] }) })),
      from,
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain(`its x5t#s256 is ${sha256Thumbprint(pki.parties.reference.chain[0]!)}`);
    expect(verdict.message).toContain(other);
  });
});

describe("jwt-signer-registered: registered certificates as the registry writes them", () => {
  test("an x5c entry in PEM armour with line breaks, and an x5t#s256 with colons and spaces, match", async () => {
    const leaf = pki.parties.reference.chain[0]!;
    const pem = trust({ party: party({ certificates: [{ x5c: toPem(leaf) }] }) });
    expect(toPem(leaf)).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+\n-----END CERTIFICATE-----/);
    expect(await jwtSignerRegistered.run(context(pem), from)).toMatchObject({ ok: true });
    const spaced = sha256Thumbprint(leaf).match(/../g)!.join(": ");
    const colons = trust({ party: party({ certificates: [{ x5tS256: spaced }] }) });
    expect(await jwtSignerRegistered.run(context(colons), from)).toMatchObject({ ok: true });
  });

  test("another certificate's x5c does not match, and the message says the entry is x5c only", async () => {
    const other = toBase64Der(pki.parties.client.chain[0]!);
    const verdict = await jwtSignerRegistered.run(
      context(trust({ party: party({ certificates: [{ x5c: other }] }) })),
      from,
    );
    expect(verdict).toMatchObject({
      ok: false,
      message: expect.stringContaining('the registry lists ["(x5c only)"]'),
    });
  });
});

describe("adherence at the boundaries", () => {
  const view = (change: Partial<PartyView>): PartyView => ({
    partyId: "EU.EORI.NL000000004",
    adherenceStatus: "Active",
    certificates: [],
    ...change,
  });
  const at = (ms: number) => new Date(ms).toISOString();

  test("no dates: no limit; a start or end exactly now still allows trust", () => {
    expect(adherenceProblem(view({}), NOW_MS)).toBeUndefined();
    expect(
      adherenceProblem(view({ adherenceStart: at(NOW_MS), adherenceEnd: at(NOW_MS) }), NOW_MS),
    ).toBeUndefined();
  });

  test("a start after now and an end before now are named", () => {
    expect(adherenceProblem(view({ adherenceStart: at(NOW_MS + 1000) }), NOW_MS)).toBe(
      "adherence starts only on 2026-11-22T12:00:01.000Z",
    );
    expect(adherenceProblem(view({ adherenceEnd: at(NOW_MS - 1000) }), NOW_MS)).toBe(
      "adherence ended on 2026-11-22T11:59:59.000Z",
    );
  });
});

describe("certificatePartyIds and the iss check without a registry", () => {
  const issuer = () => issuerMaterial(pki);
  const cert = (subject: string) =>
    createCertificate({
      subject,
      subjectKeys: { privateKey: pki.parties.client.privateKey },
      issuer: { privateKey: issuer().privateKey, certificate: issuer().chain[0]! },
      notBefore: new Date(NOW_MS - 86_400_000),
      notAfter: new Date(NOW_MS + 86_400_000),
    });

  test("serialNumber as written; an eIDAS organizationIdentifier also in its did:ishare form", async () => {
    expect(certificatePartyIds(pki.parties.reference.chain[0]!)).toEqual(["EU.EORI.NL000000004"]);
    expect(
      certificatePartyIds(await cert("CN=Seal, organizationIdentifier=NTRNL-10000000, O=Org, C=NL")),
    ).toEqual(["NTRNL-10000000", "did:ishare:EU.NL.NTRNL-10000000"]);
    // Both: the serialNumber, the organizationIdentifier and its did:ishare form.
    const both = await cert(
      "CN=Both, serialNumber=EU.EORI.NL000000004, organizationIdentifier=NTRNL-10000000, O=Org, C=NL",
    );
    expect(certificatePartyIds(both)).toEqual([
      "EU.EORI.NL000000004",
      "NTRNL-10000000",
      "did:ishare:EU.NL.NTRNL-10000000",
    ]);
    // Not <3 letters><country>-… from its first character: no did form is made up.
    expect(certificatePartyIds(await cert("CN=Odd, organizationIdentifier=1NTRNL-10000000, C=NL"))).toEqual([
      "1NTRNL-10000000",
    ]);
    expect(
      certificatePartyIds(await cert("CN=Lei, organizationIdentifier=LEI-5493001KJTIIGC8Y1R12, C=NL")),
    ).toEqual(["LEI-5493001KJTIIGC8Y1R12"]);
  });

  test("a signer certificate with no party id fails, saying so and how to bind it instead", async () => {
    const nobody = await cert("CN=Nobody, O=Org, C=NL");
    expect(certificatePartyIds(nobody)).toEqual([]);
    const token = signCompactJws(
      { alg: "RS256", x5c: [toBase64Der(nobody)] },
      { iss: "EU.EORI.NL000000004" },
      pki.parties.client.privateKey,
      "RS256",
    );
    const plain = checkContext({ body: { capabilities_token: token } }, { nowMs: NOW_MS });
    expect(await jwtSignerRegistered.run(plain, from)).toEqual({
      ok: false,
      message:
        'expected x5c[0] of body.capabilities_token to be a certificate of the iss "EU.EORI.NL000000004" (subject serialNumber or organizationIdentifier), ' +
        "saw CN=Nobody, O=Org, C=NL, which carries no party id; configure trust.registry to bind it by registration",
    });
  });
});

describe("jwt-signer-registered: what it needs from the response", () => {
  const withBody = (body: Record<string, unknown>, registryTrust?: RegistryTrust) =>
    checkContext({ body }, { nowMs: NOW_MS, ...(registryTrust ? { registryTrust } : {}) });
  const unsigned = (header: Record<string, unknown>) =>
    signCompactJws(header, { iss: "EU.EORI.NL000000004" }, pki.parties.reference.privateKey, "RS256");

  test.each([
    ["without a registry", undefined],
    ["with a registry", () => trust()],
  ])("%s: no JWT, or a JWT without x5c, fails saying so", async (_name, registry) => {
    const none = await jwtSignerRegistered.run(withBody({}, registry?.()), from);
    expect(none).toMatchObject({ ok: false, message: expect.stringMatching(/^expected a signed JWT at /) });
    const noX5c = await jwtSignerRegistered.run(
      withBody({ capabilities_token: unsigned({ alg: "RS256" }) }, registry?.()),
      from,
    );
    expect(noX5c).toEqual({
      ok: false,
      message:
        "expected x5c with the signing certificate in body.capabilities_token: the JWS header has no x5c certificate chain",
    });
  });

  test("passes when the signer's certificate is any one of several registered", async () => {
    const other = { x5tS256: sha256Thumbprint(pki.parties.client.chain[0]!) };
    const own = { x5tS256: sha256Thumbprint(pki.parties.reference.chain[0]!) };
    const several = trust({ party: party({ certificates: [other, own] }) });
    expect(await jwtSignerRegistered.run(context(several), from)).toMatchObject({ ok: true });
  });

  test("without a registry, another party's certificate fails naming its subject (it does carry a party id)", async () => {
    const client = pki.parties.client;
    const token = signCompactJws(
      { alg: "RS256", x5c: client.chain.map(toBase64Der) },
      { iss: "EU.EORI.NL000000004" },
      client.privateKey,
      "RS256",
    );
    expect(await jwtSignerRegistered.run(withBody({ capabilities_token: token }), from)).toEqual({
      ok: false,
      message:
        'expected x5c[0] of body.capabilities_token to be a certificate of the iss "EU.EORI.NL000000004" (subject serialNumber or organizationIdentifier), ' +
        "saw CN=ABC Trucking, serialNumber=EU.EORI.NL000000001, O=iSHARE Conformance Test, C=NL",
    });
  });
});
