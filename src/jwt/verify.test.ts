import { beforeAll, describe, expect, it } from "vitest";
import { signCompactJws } from "../assertions/index.ts";
import { generateTestPki, issuerMaterial, mintCertificate, type TestPki } from "../pki/index.ts";
import { verifyJwsWithCertificate } from "./verify.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
let pki: TestPki;
beforeAll(async () => {
  pki = await generateTestPki({ now: NOW });
});

const payload = { iss: "EU.EORI.NL000000004", capabilities_info: {} };
const signed = (alg: string, p: Record<string, unknown> = payload) =>
  signCompactJws({ alg, typ: "JWT" }, p, pki.parties.reference.privateKey, alg);

describe("verifyJwsWithCertificate", () => {
  it("accepts a signature by the certificate's key with an allowed alg", async () => {
    const cert = pki.parties.reference.chain[0]!;
    expect(await verifyJwsWithCertificate(signed("RS256"), cert, ["RS256"])).toEqual({ ok: true });
    expect(await verifyJwsWithCertificate(signed("RS512"), cert, ["RS256", "RS384", "RS512"])).toEqual({
      ok: true,
    });
  });

  it("refuses an alg outside the allowed list before verifying", async () => {
    const cert = pki.parties.reference.chain[0]!;
    expect(await verifyJwsWithCertificate(signed("RS384"), cert, ["RS256"])).toEqual({
      ok: false,
      message: 'alg "RS384" is not allowed here (allowed: RS256)',
    });
    const none = signCompactJws({ alg: "none" }, payload, null, "none");
    expect(await verifyJwsWithCertificate(none, cert, ["RS256"])).toEqual({
      ok: false,
      message: 'alg "none" is not allowed here (allowed: RS256)',
    });
  });

  it("names the certificate whose key the signature does not match", async () => {
    const cert = pki.parties.client.chain[0]!;
    expect(await verifyJwsWithCertificate(signed("RS256"), cert, ["RS256"])).toEqual({
      ok: false,
      message:
        "the RS256 signature does not verify with the 2048-bit RSA key of CN=ABC Trucking, serialNumber=EU.EORI.NL000000001, O=iSHARE Conformance Test, C=NL",
    });
  });

  it("detects a payload changed after signing", async () => {
    const [h, , s] = signed("RS256").split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: "EU.EORI.NL000000002" })).toString("base64url")}.${s}`;
    const verdict = await verifyJwsWithCertificate(forged, pki.parties.reference.chain[0]!, ["RS256"]);
    expect(verdict).toMatchObject({
      ok: false,
      message: expect.stringContaining("signature does not verify"),
    });
  });

  it("passes on undecodable input and jose's refusal of small keys as messages", async () => {
    const cert = pki.parties.reference.chain[0]!;
    expect(await verifyJwsWithCertificate("garbage", cert, ["RS256"])).toEqual({
      ok: false,
      message: "a compact JWS has 3 dot-separated parts, this has 1",
    });
    const small = await mintCertificate(issuerMaterial(pki), "small-key", "EU.EORI.NL000000004", "Ref", NOW);
    const jwt = signCompactJws({ alg: "RS256" }, payload, small.privateKey, "RS256");
    const verdict = await verifyJwsWithCertificate(jwt, small.chain[0]!, ["RS256"]);
    expect(verdict).toMatchObject({ ok: false, message: expect.stringContaining("2048") });
  });
});
