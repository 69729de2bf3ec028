/**
 * The reference target's own certificate judge: the verdicts it gives and the leniencies its faults switch on,
 * on the attack chains of the test PKI.
 */
import type { X509Certificate } from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { generateTestPki, type TestPki } from "../pki/index.ts";
import { type Certificate, judgeChain, readCertificate, signerProblems } from "./certificate-judge.ts";

const NOW = Date.UTC(2026, 0, 15, 12);
let pki: TestPki;
beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
});

const read = (chain: readonly X509Certificate[]): Certificate[] =>
  chain.map((cert) => readCertificate(new Uint8Array(cert.rawData)));
const anchors = () => read([pki.root.certificate]);
const variant = (name: keyof TestPki["registeredVariants"]) => read(pki.registeredVariants[name]!.chain);
const judge = (chain: Certificate[], leniency = {}, rootRequired = false) =>
  judgeChain(chain, anchors(), NOW, { rootRequired, leniency });

describe("judgeChain", () => {
  it("accepts the genuine chain, and on 2.0 one that stops below the root", () => {
    const chain = read(pki.parties.client.chain);
    expect(judge(chain)).toEqual({ ok: true });
    expect(judge(chain.slice(0, 2))).toEqual({ ok: true });
    expect(judge(chain.slice(0, 2), {}, true)).toMatchObject({ ok: false, problem: "root-missing" });
  });

  it("refuses the impostor and forged chains; a loop that skips the last link accepts [impostor, root]", () => {
    expect(judge(variant("impostor-leaf-root"))).toMatchObject({ ok: false, problem: "signature" });
    expect(judge(variant("impostor-leaf-intermediate"))).toMatchObject({ ok: false, problem: "signature" });
    expect(judge(variant("forged-intermediate"))).toMatchObject({ ok: false, problem: "signature" });
    expect(judge(variant("impostor-leaf-root"), { skipLastLink: true })).toEqual({ ok: true });
    expect(judge(variant("impostor-leaf-intermediate"), { skipLastLink: true }).ok).toBe(false);
    expect(judge(variant("impostor-leaf-intermediate"), { linkByName: true })).toEqual({ ok: true });
    expect(judge(variant("forged-intermediate"), { linkByName: true })).toEqual({ ok: true });
  });

  it("refuses an expired intermediate unless only the leaf's validity is checked", () => {
    expect(judge(variant("expired-intermediate"))).toMatchObject({ ok: false, problem: "expired" });
    expect(judge(variant("expired-intermediate"), { leafValidityOnly: true })).toEqual({ ok: true });
  });

  it("refuses a certificate after the root unless reading stops at the first trusted one", () => {
    expect(judge(variant("extra-unrelated-certificate"))).toMatchObject({ ok: false, problem: "order" });
    expect(judge(variant("extra-unrelated-certificate"), { stopAtTrusted: true })).toEqual({ ok: true });
  });
});

describe("signerProblems", () => {
  it("has none for a party certificate, and names a CA, a non-signing and an EC certificate", () => {
    expect(signerProblems(read(pki.parties.client.chain)[0]!)).toEqual([]);
    expect(signerProblems(variant("ca-leaf")[0]!)).toEqual([
      "it is a CA certificate (basicConstraints cA), not an end-entity certificate",
      "its keyUsage includes keyCertSign",
    ]);
    expect(signerProblems(variant("leaf-without-signing-usage")[0]!)).toEqual([
      "its keyUsage has neither digitalSignature nor nonRepudiation",
    ]);
    expect(signerProblems(variant("alg-es256")[0]!)).toEqual(["its key is ec, not RSA"]);
    expect(signerProblems(variant("small-key")[0]!)).toEqual(["its RSA key has 1024 bits, fewer than 2048"]);
    expect(signerProblems(variant("small-key")[0]!, { allowSmallKeys: true })).toEqual([]);
  });
});
