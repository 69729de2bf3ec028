import { describe, expect, test } from "vitest";
import { checkTarget } from "../test-support/check-context.ts";
import { buildRequest, endpointUrl, mergeRequest } from "./request-builder.ts";
import { placeholdersIn, renderString } from "./templates.ts";

const target = checkTarget({
  baseUrl: "https://ar.example.com",
  endpoints: { token: "/connect/token", abs: "https://other.example/x" },
});
const lookup = (name: string): string | undefined =>
  ({ "client.id": "EU.EORI.NL000000001", assertion: "a.b.c" })[name];
const base = {
  method: "POST",
  endpoint: "token",
  form: { grant_type: "client_credentials", client_id: "{{client.id}}", client_assertion: "{{assertion}}" },
};

describe("templates", () => {
  test("finds and renders placeholders; an unknown one is an error naming it", () => {
    expect([...placeholdersIn(base)]).toEqual(["client.id", "assertion"]);
    expect(renderString("id={{ client.id }}", lookup)).toBe("id=EU.EORI.NL000000001");
    expect(() => renderString("{{nope}}", lookup)).toThrow("unknown placeholder {{nope}}");
  });
});

describe("mergeRequest", () => {
  test("a mutation replaces scalars and merges maps, null removing a key", () => {
    const merged = mergeRequest(base, { method: "GET", form: { grant_type: null, scope: "openid" } });
    expect(merged).toEqual({
      method: "GET",
      endpoint: "token",
      form: {
        grant_type: null,
        client_id: "{{client.id}}",
        client_assertion: "{{assertion}}",
        scope: "openid",
      },
    });
  });
});

describe("buildRequest", () => {
  test("encodes a form body with its content type", () => {
    const request = buildRequest(target, base, lookup);
    expect(request).toEqual({
      method: "POST",
      url: "https://ar.example.com/connect/token",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=EU.EORI.NL000000001&client_assertion=a.b.c",
    });
  });
  test("bodyAs json and query move the same fields", () => {
    const json = buildRequest(target, { ...base, bodyAs: "json" }, lookup);
    expect(json.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(json.body ?? "")).toMatchObject({ client_id: "EU.EORI.NL000000001" });
    const query = buildRequest(target, { ...base, method: "GET", bodyAs: "query" }, lookup);
    expect(query.body).toBeUndefined();
    expect(query.url).toBe(
      "https://ar.example.com/connect/token?grant_type=client_credentials&client_id=EU.EORI.NL000000001&client_assertion=a.b.c",
    );
  });
  test("absolute endpoint URLs are used as configured; a missing endpoint says how to configure it", () => {
    expect(endpointUrl(target, "abs")).toBe("https://other.example/x");
    expect(() => endpointUrl(target, "delegation")).toThrow(/set targets\.unit\.endpoints\.delegation/);
  });
});
