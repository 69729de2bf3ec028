import { describe, expect, test } from "vitest";
import { SecretRegistry, secretFingerprint } from "./secrets.ts";

describe("SecretRegistry", () => {
  const token = "tok_abcdefghijklmnop";
  const assertion = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl";

  test("replaces known secrets and any Bearer value by a stable fingerprint", () => {
    const secrets = new SecretRegistry();
    secrets.add(token);
    secrets.add(assertion);
    const text = `{"access_token":"${token}"} client_assertion=${assertion} Authorization: Bearer other-token-1234567890`;
    const prose = "a bearer token is returned";
    const redacted = secrets.redact(text);
    expect(redacted).not.toContain(token);
    expect(redacted).not.toContain(assertion);
    expect(redacted).not.toContain("other-token-1234567890");
    expect(secrets.redact(prose)).toBe(prose);
    expect(redacted).toContain(secretFingerprint(token));
    expect(secretFingerprint(token)).toMatch(/^\[redacted sha256:[0-9a-f]{8}\]$/);
    expect(secrets.redactDeep({ nested: [token] })).toEqual({ nested: [secretFingerprint(token)] });
  });

  test("finds token values in bodies that are not JSON (form-encoded, broken bytes, cut JSON)", () => {
    const secrets = new SecretRegistry();
    secrets.addTokensIn(`access_token=${token}&token_type=Bearer`);
    secrets.addTokensIn('{"access_token":"\ufffd\ufffdtok_second_1234567","token_type":"Bearer"');
    secrets.addTokensIn('{"refresh_token": "refresh-0123456789abcdef"');
    const text = `a ${token} b \ufffd\ufffdtok_second_1234567 c refresh-0123456789abcdef`;
    expect(secrets.redact(text)).not.toMatch(/tok_|refresh-/);
  });

  test("with --show-secrets nothing is redacted", () => {
    const secrets = new SecretRegistry(true);
    secrets.add(token);
    expect(secrets.redact(`Bearer ${token}`)).toBe(`Bearer ${token}`);
  });

  test("redacts by shape: any JWT-shaped string, an id_token, a token nested in an object, URL credentials", () => {
    const secrets = new SecretRegistry();
    const idToken = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.";
    const unknownJwt = "eyJraWQiOiJ4In0.eyJhIjoiYiJ9.c2lnbmF0dXJlLXBhcnQ";
    const nested = "opaque-nested-token-0123456789";
    const camel = "camel-case-token-abcdefghij";
    const body = {
      access_token: { value: nested },
      details: [{ accessToken: camel }],
      id_token: idToken,
      debug: `seen ${unknownJwt} here`,
    };
    secrets.addTokensInJson(body);
    const text = `${JSON.stringify(body)} see https://user:s3cr3t-pass@ar.example/x and http://@host/`;
    const redacted = secrets.redact(text);
    for (const secret of [nested, camel, idToken, unknownJwt, "s3cr3t-pass", "user:"]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain("https://[redacted sha256:");
    expect(redacted).toContain("@ar.example/x");
    // Form-encoded and broken bodies: id_token by name too.
    const loose = new SecretRegistry();
    loose.addTokensIn("id_token=opaque-id-token-123456&x=1");
    expect(loose.redact("opaque-id-token-123456")).toBe(secretFingerprint("opaque-id-token-123456"));
  });
});
