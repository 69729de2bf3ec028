import { describe, expect, it } from "vitest";
import { sha256Fingerprint, toBase64Der, untrustedIdentity } from "../pki/index.ts";
import { decodeCertificate, humanTime, readableJwt } from "./jwt-readable.ts";

describe("readable JWTs in the report", () => {
  it("decodes each x5c certificate: subject, issuer, validity, fingerprint, key size", async () => {
    const now = new Date("2025-03-01T12:00:00.000Z");
    const party = await untrustedIdentity("EU.EORI.NL000000001", "ABC Trucking", now);
    const x5c = party.chain.map(toBase64Der);
    const readable = readableJwt({
      where: "request client_assertion",
      header: { alg: "RS256", x5c },
      payload: {},
    });
    const [leaf, root] = readable["x5c (decoded)"] as Record<string, string>[];
    expect(leaf?.["subject"]).toContain("ABC Trucking");
    expect(leaf?.["issuer"]).toBe(root?.["subject"]);
    expect(leaf?.["sha256"]).toBe(sha256Fingerprint(party.chain[0]!).replace(/:/g, "").toLowerCase());
    expect(leaf?.["publicKey"]).toBe("rsa 2048 bit");
    expect(Date.parse(leaf?.["validFrom"] ?? "")).toBeLessThanOrEqual(now.getTime());
    expect(Date.parse(leaf?.["validTo"] ?? "")).toBeGreaterThan(now.getTime());
  });

  it("says why an x5c entry is not a certificate instead of failing", () => {
    expect(decodeCertificate("bm90IGEgY2VydA==", 0)).toEqual({
      index: 0,
      error: expect.stringContaining("not a DER certificate in base64"),
    });
    expect(decodeCertificate(42, 1)).toEqual({ index: 1, error: "not a string but number" });
  });

  it("shows iat, nbf and exp in ISO 8601 beside the epoch value, relative to when it was recorded", () => {
    const at = Date.parse("2025-03-01T12:00:00.000Z");
    const iat = at / 1000 - 120;
    const readable = readableJwt({ where: "x", header: {}, payload: { iat, exp: iat + 30, jti: "j" } }, at);
    expect(readable["times"]).toEqual({
      iat: `${iat} = 2025-03-01T11:58:00.000Z (120 s before recorded)`,
      exp: `${iat + 30} = 2025-03-01T11:58:30.000Z (90 s before recorded)`,
    });
    // The payload itself is untouched.
    expect(readable["payload"]).toEqual({ iat, exp: iat + 30, jti: "j" });
    expect(humanTime("soon")).toBeUndefined();
    expect(humanTime(1e15)).toBe("1000000000000000 is not a time in seconds (out of range)");
  });
});
