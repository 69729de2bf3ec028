import { describe, expect, test } from "vitest";
import { checkContext } from "../test-support/check-context.ts";
import {
  contentTypeIs,
  headerAbsent,
  headerHasToken,
  notCacheable,
  statusIs,
  wwwAuthenticateBearer,
} from "./http.ts";

describe("status-is", () => {
  test("passes on the expected status and on any status of an allowed list", () => {
    expect(statusIs.run(checkContext({ status: 400 }), 400)).toMatchObject({ ok: true });
    expect(statusIs.run(checkContext({ status: 401 }), [400, 401])).toMatchObject({ ok: true });
  });
  test("fails saying what was expected, what was seen and where", () => {
    const verdict = statusIs.run(checkContext({ status: 200 }), [400, 401]);
    expect(verdict).toEqual({
      ok: false,
      message:
        "expected HTTP status 400 or 401, saw 200 (response status of http://127.0.0.1:9/connect/token)",
    });
  });
  test("names where an unexpected redirect points (it is never followed) and a non-JSON media type", async () => {
    const redirect = checkContext({ status: 307, headers: { location: "http://elsewhere.example/x" } });
    expect(await statusIs.run(redirect, 200)).toHaveProperty(
      "message",
      "expected HTTP status 200, saw 307 (a redirect to http://elsewhere.example/x; redirects are never followed) " +
        "(response status of http://127.0.0.1:9/connect/token)",
    );
    const html = checkContext({ status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
    expect((await statusIs.run(html, 200)).message).toContain("saw 503 text/html (response status");
  });
});

describe("header-has-token", () => {
  const params = { name: "Cache-Control", value: "no-store" };
  test("finds a directive among several, case-insensitively", () => {
    const context = checkContext({ headers: { "cache-control": "private, No-Store" } });
    expect(headerHasToken.run(context, params)).toMatchObject({ ok: true });
  });
  test("fails when the header is missing or lacks the directive", () => {
    expect(headerHasToken.run(checkContext({}), params)).toMatchObject({
      ok: false,
      message: 'expected response header Cache-Control with "no-store", saw no Cache-Control header',
    });
    expect(
      headerHasToken.run(checkContext({ headers: { "cache-control": "max-age=60" } }), params),
    ).toMatchObject({
      ok: false,
      message: 'expected response header Cache-Control to contain "no-store", saw "max-age=60"',
    });
  });
});

describe("header-absent", () => {
  test("passes without the header and fails with it", () => {
    expect(headerAbsent.run(checkContext({}), { name: "Location" })).toMatchObject({ ok: true });
    expect(
      headerAbsent.run(checkContext({ headers: { location: "/x" } }), { name: "Location" }),
    ).toMatchObject({
      ok: false,
      message: 'expected no response header Location, saw "/x"',
    });
  });
});

describe("www-authenticate-bearer", () => {
  test("passes on a Bearer challenge with or without auth-params, in any case", () => {
    for (const value of [
      "Bearer",
      'bearer error="invalid_token"',
      'Bearer realm="x", error="invalid_token"',
    ]) {
      expect(
        wwwAuthenticateBearer.run(checkContext({ headers: { "www-authenticate": value } }), {}),
      ).toMatchObject({ ok: true });
    }
  });
  test("fails without the header or with another scheme", () => {
    expect(wwwAuthenticateBearer.run(checkContext({}), {})).toMatchObject({
      ok: false,
      message: "expected a WWW-Authenticate: Bearer challenge, saw no WWW-Authenticate header",
    });
    expect(
      wwwAuthenticateBearer.run(checkContext({ headers: { "www-authenticate": 'Basic realm="x"' } }), {}),
    ).toMatchObject({
      ok: false,
      message: 'expected a WWW-Authenticate challenge with the Bearer scheme, saw "Basic realm=\\"x\\""',
    });
  });
});

describe("content-type-is", () => {
  test("ignores parameters such as charset", () => {
    const context = checkContext({ headers: { "content-type": "application/json; charset=utf-8" } });
    expect(contentTypeIs.run(context, "application/json")).toMatchObject({ ok: true });
  });
  test("fails on another media type or none", () => {
    expect(
      contentTypeIs.run(checkContext({ headers: { "content-type": "text/html" } }), "application/json"),
    ).toEqual({
      ok: false,
      message: 'expected Content-Type application/json, saw "text/html"',
    });
    expect(contentTypeIs.run(checkContext({}), "application/json")).toMatchObject({ ok: false });
  });
});

describe("not-cacheable", () => {
  test("needs both Cache-Control no-store and Pragma no-cache", () => {
    const good = checkContext({ headers: { "cache-control": "no-store", pragma: "no-cache" } });
    expect(notCacheable.run(good, {})).toMatchObject({ ok: true });
    const noPragma = checkContext({ headers: { "cache-control": "no-store" } });
    expect(notCacheable.run(noPragma, {})).toEqual({
      ok: false,
      message: "expected Cache-Control: no-store and Pragma: no-cache, saw Pragma absent",
    });
    const cacheable = checkContext({ headers: { "cache-control": "max-age=3600", pragma: "no-cache" } });
    expect(notCacheable.run(cacheable, {})).toMatchObject({
      ok: false,
      message: expect.stringContaining("max-age=3600"),
    });
  });
});
