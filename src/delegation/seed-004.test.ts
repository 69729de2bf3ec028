/**
 * A real interop vector: a delegation_token issued by the iSHARE test Authorisation Registry, the example
 * response of the developer portal's Delegation page (dev.ishare.eu, Version 2.0.1, Authorisation Registry Role ›
 * Delegation), kept in src/jwt/fixtures/ so this test always runs. Our checks must verify its signature and its
 * x5c chain up to "TEST iSHARE Foundation eIDAS", read its evidence, and report it expired today while it passes
 * with the clock at its iat. A vector the harness did not make itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS, type CheckContext } from "../checks/index.ts";
import { x5cCertificates } from "../jwt/index.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { sha256Fingerprint, subjectOf, verifyChain } from "../pki/index.ts";
import { checkContext, checkTarget } from "../test-support/check-context.ts";
import { findSharedDir } from "../test-support/shared-dir.ts";
import { echoProblems, evaluate, readEvidence } from "./index.ts";
import type { DelegationMask } from "./types.ts";

/** From the spec digest §6.4, test-network trusted list: `CN=TEST iSHARE Foundation eIDAS`. */
const EIDAS_ROOT_FINGERPRINT = "8C39DD06E35DE8467004A542D0CA4B8FDC7D6F8F713F40A35BD9E65938A191CF";
const EIDAS_ROOT_SUBJECT = "CN=TEST iSHARE Foundation eIDAS";

/** The token text as the test AR returned it (the portal's example response), one line. */
const FIXTURE = new URL("../jwt/fixtures/seed-004.delegation-token.jwt", import.meta.url);
const token = readFileSync(FIXTURE, "utf8").trim();
const shared = findSharedDir();

/** The question the token answers, reconstructed from the documented CTT setup (spec digest §5.5, §11). */
const MASK: DelegationMask = {
  delegationRequest: {
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [
      {
        policies: [
          {
            target: {
              resource: {
                type: "GS1.CONTAINER",
                identifiers: ["180621.ABC1234"],
                attributes: ["GS1.CONTAINER.ATTRIBUTE.ETA"],
              },
              actions: ["ISHARE.READ"],
              environment: { serviceProviders: ["EU.EORI.NL000000003"] },
            },
            rules: [{ effect: "Permit" }],
          },
        ],
      },
    ],
  },
};

describe("seed 004: a delegation_token of the iSHARE test AR", () => {
  const [headerSegment, payloadSegment] = token.split(".");
  const payload = JSON.parse(Buffer.from(payloadSegment!, "base64url").toString());
  const iatMs = (payload.iat as number) * 1000;
  const header = JSON.parse(Buffer.from(headerSegment!, "base64url").toString());
  const x5c = x5cCertificates(header);
  const certs = x5c.ok ? x5c.certs : [];
  const root = certs[certs.length - 1];

  /** A context for our checks: the test AR (NL000000004) answering our client (NL000000001). */
  function context(nowMs: number, overrides: Partial<ResolvedTarget> = {}): CheckContext {
    const target = checkTarget({
      partyId: "EU.EORI.NL000000004",
      anchors: root ? [root] : [],
      delegation: { masks: { permit: MASK, deny: MASK }, denyAnswer: "deny" },
      ...overrides,
    });
    return checkContext({ status: 200, body: { delegation_token: token } }, { target, nowMs });
  }

  async function run(name: string, ctx: CheckContext, params: Record<string, unknown> = {}) {
    const check = CHECKS.get(name);
    if (!check) throw new Error(`no check ${name}`);
    return check.run(ctx, { from: "delegation_token", ...params });
  }

  it("carries the chain test AR → TEST iSHARE EU Issuing CA G5 → TEST iSHARE Foundation eIDAS", () => {
    expect(x5c.ok).toBe(true);
    expect(certs.map(subjectOf)).toEqual([
      expect.stringContaining("CN=iSHARE Test Authorization Registry"),
      expect.stringContaining("CN=TEST iSHARE EU Issuing Certification Authority G5"),
      EIDAS_ROOT_SUBJECT,
    ]);
  });

  it("its root is the test network's eIDAS root, by the fingerprint the trusted list publishes", () => {
    expect(sha256Fingerprint(root!)).toBe(EIDAS_ROOT_FINGERPRINT);
  });

  it.skipIf(!("dir" in shared))(
    "the spec digest's trusted list names that fingerprint (needs the shared folder)",
    () => {
      const spec = readFileSync(join((shared as { dir: string }).dir, "spec", "ishare.md"), "utf8");
      expect(spec).toContain(`\`${EIDAS_ROOT_SUBJECT}\` → \`${EIDAS_ROOT_FINGERPRINT}\``);
    },
  );

  it("passes every iSHARE JWT check with the clock at its iat and the eIDAS root as anchor", async () => {
    const ctx = context(iatMs);
    const verdicts = await Promise.all(
      [
        ["jwt-header-members"],
        ["jwt-typ-is-jwt"],
        ["jwt-alg-allowed"],
        ["jwt-signed-by-x5c-leaf"],
        ["x5c-chains-to-trusted-root"],
        ["jwt-lifetime-is-30s"],
        ["jwt-time-valid"],
        ["jwt-claim-equals", { claim: "iss", value: "{{target.id}}" }],
        ["jwt-claim-equals", { claim: "aud", value: "{{client.id}}" }],
        ["jwt-claim-present", { claim: "jti" }],
      ].map(async ([name, params]) => [
        name,
        await run(name as string, ctx, params as Record<string, unknown>),
      ]),
    );
    expect(verdicts.filter(([, verdict]) => !(verdict as { ok: boolean }).ok)).toEqual([]);
    const chain = await run("x5c-chains-to-trusted-root", ctx);
    expect(chain.message).toBe(`x5c chain of 3 certificate(s) ends at trusted ${EIDAS_ROOT_SUBJECT}`);
  });

  it("verifies the chain against an anchor chosen by the trusted list's SHA-256 fingerprint alone", async () => {
    const trustedList = [
      { certificate_fingerprint: EIDAS_ROOT_FINGERPRINT, validity: "valid", status: "granted" },
    ];
    const anchors = certs.filter((cert) =>
      trustedList.some((entry) => entry.certificate_fingerprint === sha256Fingerprint(cert)),
    );
    expect(anchors.map(subjectOf)).toEqual([EIDAS_ROOT_SUBJECT]);
    const verdict = await verifyChain(certs, anchors, new Date(iatMs));
    expect(verdict.ok).toBe(true);
  });

  it("is not trusted without the eIDAS root, and a changed payload fails the signature", async () => {
    const untrusted = await run("x5c-chains-to-trusted-root", context(iatMs, { anchors: [] }));
    expect(untrusted.ok).toBe(false);
    const [h, , s] = token.split(".");
    const altered = Buffer.from(JSON.stringify({ ...payload, aud: "EU.EORI.NL000000002" })).toString(
      "base64url",
    );
    const ctx = checkContext(
      { body: { delegation_token: `${h}.${altered}.${s}` } },
      { target: checkTarget({ anchors: [root!] }), nowMs: iatMs },
    );
    expect((await run("jwt-signed-by-x5c-leaf", ctx)).message).toMatch(/the RS256 signature does not verify/);
  });

  it("is reported expired today", async () => {
    const verdict = await run("jwt-time-valid", context(Date.now()));
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(
      new RegExp(`^expected body.delegation_token not expired, saw exp ${payload.exp} <= now \\d+$`),
    );
  });

  it("its evidence is well formed, answers the CTT mask with Permit, is valid and names its license", async () => {
    const read = readEvidence(payload.delegationEvidence);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(echoProblems(read.value, MASK, { singleRule: true })).toEqual([]);
    expect(evaluate(read.value, MASK, { atS: payload.iat }).effect).toBe("Permit");
    const ctx = context(iatMs);
    for (const [name, params] of [
      ["delegation-evidence-valid", {}],
      ["delegation-evidence-matches-mask", { mask: "permit", singleRule: true }],
      ["delegation-evidence-effect-is", { mask: "permit", effect: "Permit" }],
      ["delegation-evidence-time-valid", {}],
      ["delegation-evidence-licenses-present", {}],
    ] as const) {
      expect([name, (await run(name, ctx, params)).ok]).toEqual([name, true]);
    }
  });

  it("its evidence does not permit a question it was not asked (another action)", () => {
    const read = readEvidence(payload.delegationEvidence);
    if (!read.ok) throw new Error("unreadable evidence");
    const policy = MASK.delegationRequest.policySets[0]!.policies[0]!;
    const asked: DelegationMask = {
      delegationRequest: {
        ...MASK.delegationRequest,
        policySets: [{ policies: [{ ...policy, target: { ...policy.target, actions: ["ISHARE.DELETE"] } }] }],
      },
    };
    expect(evaluate(read.value, asked).policies[0]?.reason).toBe(
      "evidence policySets[0].policies[0]: actions not covered",
    );
  });
});
