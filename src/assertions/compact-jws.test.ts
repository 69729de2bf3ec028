import { createHmac, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { compactVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signCompactJws } from "./compact-jws.ts";

const rsa2048 = generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsa1024 = generateKeyPairSync("rsa", { modulusLength: 1024 });
const header = { alg: "RS256", typ: "JWT" };
const payload = { iss: "EU.EORI.NL000000001", n: 1 };

const parts = (jwt: string) => jwt.split(".") as [string, string, string];
const json = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

describe("signCompactJws", () => {
  it("produces RS256/RS384/RS512 tokens that jose verifies", async () => {
    for (const alg of ["RS256", "RS384", "RS512"]) {
      const jwt = signCompactJws({ ...header, alg }, payload, rsa2048.privateKey, alg);
      const { protectedHeader, payload: bytes } = await compactVerify(jwt, rsa2048.publicKey, {
        algorithms: [alg],
      });
      expect(protectedHeader.alg).toBe(alg);
      expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(payload);
    }
  });

  it("signs with a 1024-bit key, which jose would refuse", () => {
    const jwt = signCompactJws(header, payload, rsa1024.privateKey, "RS256");
    const [h, p, s] = parts(jwt);
    const ok = verify("sha256", Buffer.from(`${h}.${p}`), rsa1024.publicKey, Buffer.from(s, "base64url"));
    expect(ok).toBe(true);
  });

  it("keeps the header as given, even when its alg differs from the signing alg", () => {
    const jwt = signCompactJws({ alg: "RS512", typ: "JWT" }, payload, rsa2048.privateKey, "RS256");
    expect(json(parts(jwt)[0])).toEqual({ alg: "RS512", typ: "JWT" });
  });

  it("HS256 uses the given bytes as HMAC secret", () => {
    const secret = Buffer.from("a shared secret");
    const jwt = signCompactJws({ alg: "HS256" }, payload, secret, "HS256");
    const [h, p, s] = parts(jwt);
    expect(s).toBe(createHmac("sha256", secret).update(`${h}.${p}`).digest("base64url"));
  });

  it('"none" leaves the signature empty', () => {
    const jwt = signCompactJws({ alg: "none" }, payload, null, "none");
    expect(jwt.endsWith(".")).toBe(true);
    expect(jwt.split(".")).toHaveLength(3);
  });

  it("refuses unknown algorithms and keys that do not suit the algorithm", () => {
    expect(() => signCompactJws(header, payload, rsa2048.privateKey, "ES512")).toThrow(
      'cannot sign with alg "ES512"; use one of RS256, RS384, RS512, PS256, ES256, HS256, none',
    );
    expect(() => signCompactJws(header, payload, rsa2048.privateKey, "ES256")).toThrow(
      "ES256 needs an EC private key",
    );
    expect(() => signCompactJws(header, payload, rsa2048.privateKey, "HS256")).toThrow(
      "HS256 needs a byte secret",
    );
    expect(() => signCompactJws(header, payload, null, "RS256")).toThrow("RS256 needs an RSA private key");
    expect(() => signCompactJws(header, payload, createPublicKey(rsa2048.privateKey), "RS256")).toThrow(
      "RS256 needs an RSA private key",
    );
  });
});
