import { describe, expect, test } from "vitest";
import { checkContext } from "../test-support/check-context.ts";
import { jsonFieldAbsent, jsonFieldEquals, jsonFieldPresent, jsonObjectBody, jsonSchema } from "./json.ts";
import { lookup, parsePath } from "./json-path.ts";
import { oauthErrorIs } from "./oauth.ts";

const token = { access_token: "abc", token_type: "Bearer", expires_in: 3600 };

describe("json paths", () => {
  test("walk objects and arrays and report absence", () => {
    expect(parsePath("a.b[2].c")).toEqual(["a", "b", 2, "c"]);
    expect(lookup({ a: { b: [0, 1, { c: "x" }] } }, "a.b[2].c")).toEqual({ found: true, value: "x" });
    expect(lookup({ a: {} }, "a.b")).toEqual({ found: false });
    expect(lookup({ a: [] }, "a[0]")).toEqual({ found: false });
  });
});

describe("json-object-body", () => {
  test("accepts an object, refuses arrays and non-JSON", () => {
    expect(jsonObjectBody.run(checkContext({ body: token }), {})).toMatchObject({ ok: true });
    expect(jsonObjectBody.run(checkContext({ body: [1] }), {})).toMatchObject({ ok: false });
    expect(jsonObjectBody.run(checkContext({ body: "<html>" }), {})).toMatchObject({
      ok: false,
      message: "expected a JSON body, saw a body that is not JSON",
    });
  });
});

describe("json-schema", () => {
  test("validates the token response schema", () => {
    expect(jsonSchema.run(checkContext({ body: token }), { schema: "token-response" })).toMatchObject({
      ok: true,
    });
    const verdict = jsonSchema.run(checkContext({ body: { token_type: "Bearer", expires_in: "3600" } }), {
      schema: "token-response",
    });
    expect(verdict).toMatchObject({ ok: false });
    expect(verdict).toHaveProperty("message", expect.stringContaining('missing required key "access_token"'));
    expect(verdict).toHaveProperty("message", expect.stringContaining("expires_in: must be integer"));
  });
  test("names an unknown schema instead of passing", () => {
    expect(jsonSchema.run(checkContext({ body: token }), { schema: "nope" })).toMatchObject({ ok: false });
  });
});

describe("json-field-equals / -absent / -present", () => {
  test("compare values, with placeholders and optional case-insensitivity", () => {
    const context = checkContext({ body: { ...token, party: "EU.EORI.NL000000004" } });
    expect(jsonFieldEquals.run(context, { path: "expires_in", value: 3600 })).toMatchObject({ ok: true });
    expect(jsonFieldEquals.run(context, { path: "party", value: "{{target.id}}" })).toMatchObject({
      ok: true,
    });
    expect(
      jsonFieldEquals.run(context, { path: "token_type", value: "bearer", ignoreCase: true }),
    ).toMatchObject({
      ok: true,
    });
    expect(jsonFieldEquals.run(context, { path: "token_type", value: "mac" })).toEqual({
      ok: false,
      message: 'expected body.token_type = "mac", saw "Bearer"',
    });
  });
  test("absent and present", () => {
    const context = checkContext({ body: { ...token, refresh_token: "r" } });
    expect(jsonFieldAbsent.run(context, { path: "refresh_token" })).toEqual({
      ok: false,
      message: 'expected no body.refresh_token, saw "r"',
    });
    expect(jsonFieldAbsent.run(checkContext({ body: token }), { path: "refresh_token" })).toMatchObject({
      ok: true,
    });
    expect(jsonFieldPresent.run(context, { path: "expires_in", type: "integer" })).toMatchObject({
      ok: true,
    });
    expect(jsonFieldPresent.run(context, { path: "expires_in", type: "string" })).toMatchObject({
      ok: false,
    });
    expect(jsonFieldPresent.run(context, { path: "nope" })).toMatchObject({ ok: false });
  });
});

describe("oauth-error-is", () => {
  test("accepts the expected RFC 6749 error code", () => {
    const context = checkContext({ status: 400, body: { error: "invalid_client" } });
    expect(oauthErrorIs.run(context, "invalid_client")).toMatchObject({ ok: true });
    expect(oauthErrorIs.run(context, ["invalid_request", "invalid_client"])).toMatchObject({ ok: true });
  });
  test("fails on another code, a missing member or a text body", () => {
    expect(oauthErrorIs.run(checkContext({ body: { error: "invalid_grant" } }), "invalid_client")).toEqual({
      ok: false,
      message: 'expected body.error "invalid_client", saw "invalid_grant"',
    });
    expect(oauthErrorIs.run(checkContext({ body: {} }), "invalid_client")).toMatchObject({ ok: false });
    expect(oauthErrorIs.run(checkContext({ body: "Bad Request" }), "invalid_client")).toMatchObject({
      ok: false,
    });
  });
});
