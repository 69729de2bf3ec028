import { describe, expect, it } from "vitest";
import { decodeJws, MAX_JWS_LENGTH } from "./decode.ts";

const b64 = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const jws = (header: unknown, payload: unknown, sig = "c2ln") => `${b64(header)}.${b64(payload)}.${sig}`;

describe("decodeJws", () => {
  it("decodes header and payload without checking the signature", () => {
    expect(decodeJws(jws({ alg: "RS256", typ: "JWT" }, { iss: "EU.EORI.NL000000004", exp: 1 }))).toEqual({
      ok: true,
      header: { alg: "RS256", typ: "JWT" },
      payload: { iss: "EU.EORI.NL000000004", exp: 1 },
    });
  });

  it("tolerates surrounding whitespace and an empty signature", () => {
    expect(decodeJws(` ${jws({ alg: "none" }, {}, "")}\n`)).toMatchObject({
      ok: true,
      header: { alg: "none" },
    });
  });

  it.each([
    ["", "the JWS is empty"],
    ["abc", "a compact JWS has 3 dot-separated parts, this has 1"],
    [
      "a.b.c.d.e",
      "a compact JWS has 3 dot-separated parts, this has 5 (5 parts: an encrypted JWE, not a signed JWS)",
    ],
    [`.${b64({})}.x`, "the JWS header is empty"],
    [`${b64({ a: 1 })}=.${b64({})}.x`, "the JWS header is not base64url (RFC 7515 §2: no padding, - and _)"],
    [`${b64("{not json")}.${b64({})}.x`, "the JWS header is not JSON after base64url decoding"],
    [`${b64({})}.${b64([1, 2])}.x`, "the JWS payload is JSON but not an object"],
    [`${b64({})}.${b64("null")}.x`, "the JWS payload is JSON but not an object"],
  ])("refuses %j: %s", (input, message) => {
    expect(decodeJws(input)).toEqual({ ok: false, message });
  });

  it("refuses input over 1 MB without parsing it", () => {
    const huge = `${"a".repeat(MAX_JWS_LENGTH)}.b.c`;
    expect(decodeJws(huge)).toEqual({
      ok: false,
      message: `the JWS is ${huge.length} characters long; more than ${MAX_JWS_LENGTH} is not examined`,
    });
  });

  it("never throws on values that are not strings", () => {
    expect(decodeJws(42 as unknown as string)).toEqual({
      ok: false,
      message: "expected a compact JWS string, got number",
    });
  });
});
