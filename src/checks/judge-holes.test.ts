/**
 * Wrong verdicts the JWT checks used to give (issue #13 §2), each pinned at check level: a capabilities_token
 * signed with a CA key, or by another party's valid certificate without trust.registry; a 2.1 chain without
 * its root; a trusted list naming the issuing CA, or the signer itself; adherence dates that do not parse.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { signCompactJws } from "../assertions/index.ts";
import type { PartyView, RegistryTrust } from "../model/registry-trust.ts";
import { generateTestPki, sha256Fingerprint, type TestPki, toBase64Der } from "../pki/index.ts";
import { checkContext, checkTarget } from "../test-support/check-context.ts";
import { x5cChainsToTrustedRoot } from "./jwt.ts";
import { adherenceProblem, jwtSignerRegistered } from "./registry-trust.ts";

const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);
const from = { from: "capabilities_token" };
let pki: TestPki;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW_MS) });
});

/** A capabilities_token with iss = the target (NL000000004), signed by `key` with `x5c`. */
function token(key: TestPki["root"]["privateKey"], x5c: readonly Parameters<typeof toBase64Der>[0][]) {
  const iat = NOW_MS / 1000;
  return signCompactJws(
    { alg: "RS256", typ: "JWT", x5c: x5c.map(toBase64Der) },
    { iss: "EU.EORI.NL000000004", sub: "EU.EORI.NL000000004", jti: "j", iat, exp: iat + 30 },
    key,
    "RS256",
  );
}

const context = (
  jwt: string,
  target = checkTarget({ anchors: [pki.root.certificate] }),
  trust?: RegistryTrust,
) =>
  checkContext(
    { body: { capabilities_token: jwt } },
    { target, nowMs: NOW_MS, ...(trust ? { registryTrust: trust } : {}) },
  );

describe("the signer of a returned JWT", () => {
  it("may not be a CA: x5c = [issuing CA, root] signed with the CA key fails the chain check", async () => {
    const jwt = token(pki.issuing.privateKey, [pki.issuing.certificate, pki.root.certificate]);
    const verdict = await x5cChainsToTrustedRoot.run(context(jwt), from);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(/signs the JWT but is a CA certificate/);
  });

  it("without trust.registry, must carry the iss as its party id: another party's valid certificate fails", async () => {
    const client = pki.parties.client;
    const forged = token(client.privateKey, client.chain);
    expect((await x5cChainsToTrustedRoot.run(context(forged), from)).ok).toBe(true);
    const verdict = await jwtSignerRegistered.run(context(forged), from);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(
      /^expected x5c\[0\] of body\.capabilities_token to be a certificate of the iss "EU\.EORI\.NL000000004"/,
    );
    const own = token(pki.parties.reference.privateKey, pki.parties.reference.chain);
    expect(await jwtSignerRegistered.run(context(own), from)).toMatchObject({
      ok: true,
      message: expect.stringContaining("carries the iss EU.EORI.NL000000004 as its party id"),
    });
  });
});

describe("where the chain of a returned JWT ends", () => {
  it("on a 2.1 target, a chain without the root fails; on 2.0 it passes", async () => {
    const reference = pki.parties.reference;
    const jwt = token(reference.privateKey, reference.chain.slice(0, 2));
    const v20 = await x5cChainsToTrustedRoot.run(context(jwt), from);
    expect(v20.ok).toBe(true);
    const v21 = await x5cChainsToTrustedRoot.run(
      context(jwt, checkTarget({ version: "2.1", anchors: [pki.root.certificate] })),
      from,
    );
    expect(v21.ok).toBe(false);
    expect(v21.message).toMatch(/x5c must include the root certificate/);
  });

  it("anchors = [issuing CA] trusts [leaf, issuing CA, root]", async () => {
    const reference = pki.parties.reference;
    const jwt = token(reference.privateKey, reference.chain);
    const verdict = await x5cChainsToTrustedRoot.run(
      context(jwt, checkTarget({ anchors: [pki.issuing.certificate] })),
      from,
    );
    expect(verdict).toMatchObject({ ok: true, message: expect.stringContaining("Issuing CA") });
  });

  it("a trusted list that names the signer's own certificate does not make it trusted", async () => {
    const reference = pki.parties.reference;
    const trust: RegistryTrust = {
      registry: "EU.EORI.NL000000000 at http://registry",
      partyId: "EU.EORI.NL000000004",
      trustedList: [
        {
          subject: "the signer",
          fingerprint: sha256Fingerprint(reference.chain[0]!),
          validity: "valid",
          status: "granted",
        },
      ],
    };
    const jwt = token(reference.privateKey, reference.chain.slice(0, 1));
    const verdict = await x5cChainsToTrustedRoot.run(context(jwt, checkTarget(), trust), from);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(/no certificate of the chain is on the trusted list/);
  });
});

describe("adherence dates", () => {
  const party = (change: Partial<PartyView>): PartyView => ({
    partyId: "EU.EORI.NL000000004",
    adherenceStatus: "Active",
    certificates: [],
    ...change,
  });

  it("a date that does not parse is a problem, not 'no limit'", () => {
    expect(adherenceProblem(party({ adherenceEnd: "31-12-2020" }), NOW_MS)).toBe(
      'adherence end date "31-12-2020" is not a date (ISO 8601 expected)',
    );
    expect(adherenceProblem(party({ adherenceStart: "soon" }), NOW_MS)).toBe(
      'adherence start date "soon" is not a date (ISO 8601 expected)',
    );
    expect(adherenceProblem(party({ adherenceStart: "2020-01-01T00:00:00Z" }), NOW_MS)).toBeUndefined();
  });
});
