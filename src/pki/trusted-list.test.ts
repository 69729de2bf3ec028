/**
 * Judging an x5c chain against a registry's trusted list: which certificate counts as the listed CA, how
 * fingerprints are compared, what validity and status let a chain through, and what the refusals say.
 */
import type { X509Certificate } from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import type { TrustedCa } from "../model/registry-trust.ts";
import { sha256Fingerprint } from "./fingerprint.ts";
import { subjectOf } from "./names.ts";
import { generateTestPki, type TestPki } from "./test-pki.ts";
import {
  isGranted,
  normaliseFingerprint,
  trustedListEntryFor,
  verifyChainOnTrustedList,
} from "./trusted-list.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
let pki: TestPki;
let other: TestPki; // same CA names, different keys
beforeAll(async () => {
  [pki, other] = await Promise.all([generateTestPki({ now: NOW }), generateTestPki({ now: NOW })]);
}, 120_000);

const entry = (cert: X509Certificate, over: Partial<TrustedCa> = {}): TrustedCa => ({
  subject: cert.subject,
  fingerprint: sha256Fingerprint(cert),
  validity: "valid",
  status: "granted",
  ...over,
});
/** `AB:CD:…` in lower case, the way some registries write fingerprints. */
const colonLower = (cert: X509Certificate) => sha256Fingerprint(cert).toLowerCase().match(/../g)!.join(":");
const chain = () => pki.parties.client.chain;

describe("normaliseFingerprint", () => {
  it("drops colons and white space and upper-cases the hex digits", () => {
    expect(normaliseFingerprint("ab:cd:ef 01\t23\n45")).toBe("ABCDEF012345");
    expect(normaliseFingerprint("ABCDEF")).toBe("ABCDEF");
  });
});

describe("trustedListEntryFor", () => {
  it("finds the entry by SHA-256 fingerprint, whatever its case and colons, and not another entry", () => {
    const root = pki.root.certificate;
    const list = [entry(pki.issuing.certificate), { ...entry(root), fingerprint: colonLower(root) }];
    expect(trustedListEntryFor(root, list)).toBe(list[1]);
    expect(trustedListEntryFor(pki.issuing.certificate, list)).toBe(list[0]);
    expect(trustedListEntryFor(other.root.certificate, list)).toBeUndefined();
  });
});

describe("isGranted", () => {
  it("lets only validity valid with status granted through", () => {
    const root = pki.root.certificate;
    expect(isGranted(entry(root))).toBe(true);
    expect(isGranted(entry(root, { validity: "invalid" }))).toBe(false);
    expect(isGranted(entry(root, { status: "revoked" }))).toBe(false);
    expect(isGranted(entry(root, { validity: "invalid", status: "revoked" }))).toBe(false);
  });
});

describe("verifyChainOnTrustedList", () => {
  it("accepts a chain whose root is listed, valid and granted, and names the root as the anchor", async () => {
    const verdict = await verifyChainOnTrustedList(chain(), [entry(pki.root.certificate)], NOW);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.anchor).toBe(pki.root.certificate);
  });

  it("takes the first listed certificate above the signer as the anchor (the issuing CA before the root)", async () => {
    const list = [entry(pki.root.certificate), entry(pki.issuing.certificate)];
    const verdict = await verifyChainOnTrustedList(chain(), list, NOW);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.anchor).toBe(pki.issuing.certificate);
  });

  it("matches a listed fingerprint written in lower case with colons", async () => {
    const root = pki.root.certificate;
    const list = [{ ...entry(root), fingerprint: colonLower(root) }];
    expect(await verifyChainOnTrustedList(chain(), list, NOW)).toMatchObject({ ok: true });
  });

  it("refuses an empty chain", async () => {
    expect(await verifyChainOnTrustedList([], [entry(pki.root.certificate)], NOW)).toEqual({
      ok: false,
      problem: "empty",
      message: "the certificate chain is empty",
    });
  });

  it("never takes the signer's own certificate as the listed CA", async () => {
    const [leaf] = chain();
    const verdict = await verifyChainOnTrustedList(chain(), [entry(leaf!)], NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "untrusted" });
    if (!verdict.ok) expect(verdict.message).toContain("no certificate of the chain is on the trusted list");
  });

  it("names every certificate of the chain and its fingerprint when none is listed", async () => {
    const verdict = await verifyChainOnTrustedList(chain(), [entry(other.root.certificate)], NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "untrusted" });
    if (verdict.ok) return;
    expect(verdict.message).toContain("(1 entries)");
    chain().forEach((cert, i) => {
      expect(verdict.message).toContain(`x5c[${i}] ${subjectOf(cert)}`);
      expect(verdict.message).toContain(`has SHA-256 fingerprint ${sha256Fingerprint(cert)}`);
    });
  });

  it.each([
    [{ validity: "invalid" }, '"invalid" and status "granted"'],
    [{ status: "revoked" }, '"valid" and status "revoked"'],
  ])("refuses a listed CA with %j, naming the entry's values", async (over, said) => {
    const root = pki.root.certificate;
    const verdict = await verifyChainOnTrustedList(chain(), [entry(root, over)], NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "untrusted" });
    if (verdict.ok) return;
    expect(verdict.message).toContain(`x5c[2] ${subjectOf(root)} (SHA-256 ${sha256Fingerprint(root)})`);
    expect(verdict.message).toContain(`with validity ${said}, not valid and granted`);
  });

  it("still judges the chain below the listed CA: a root of another PKI with the same name is a signature problem", async () => {
    const [leaf, issuing] = chain();
    const foreign = other.root.certificate;
    const verdict = await verifyChainOnTrustedList([leaf!, issuing!, foreign], [entry(foreign)], NOW);
    expect(verdict).toMatchObject({ ok: false, problem: "signature" });
  });

  it("passes the chain options on: a CA certificate as signer is refused unless signer is false", async () => {
    const upper = [pki.issuing.certificate, pki.root.certificate];
    const list = [entry(pki.root.certificate)];
    expect(await verifyChainOnTrustedList(upper, list, NOW)).toMatchObject({ ok: false });
    expect(await verifyChainOnTrustedList(upper, list, NOW, { signer: false })).toMatchObject({ ok: true });
  });

  it("judges validity at the given time", async () => {
    const later = new Date(NOW.getTime() + 20 * 365 * 86_400_000);
    const verdict = await verifyChainOnTrustedList(chain(), [entry(pki.root.certificate)], later);
    expect(verdict).toMatchObject({ ok: false, problem: "expired" });
  });
});
