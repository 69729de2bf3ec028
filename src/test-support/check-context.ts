/** Builds a CheckContext around a hand-made response, for unit tests of checks. */

import type { X509Certificate } from "@peculiar/x509";
import type { CheckContext, JsonParse, JwtParse } from "../checks/index.ts";
import type { HttpResponse } from "../http/response.ts";
import { decodeJws } from "../jwt/index.ts";
import type { RegistryTrust } from "../model/registry-trust.ts";
import type { ResolvedTarget } from "../model/target.ts";

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A target description for checks that read the version, ids or anchors (no keys inside). */
export function checkTarget(overrides: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return {
    name: "unit",
    partyId: "EU.EORI.NL000000004",
    version: "2.0",
    baseUrl: "http://127.0.0.1:9",
    roles: ["AuthorisationRegistry"],
    endpoints: {},
    client: { partyId: "EU.EORI.NL000000001", privateKey: undefined as never, chain: [] },
    identities: {},
    anchors: [] as X509Certificate[],
    http: {
      connectTimeoutMs: 1,
      headersTimeoutMs: 1,
      bodyTimeoutMs: 1,
      maxBodyBytes: 1024,
      extraCaPem: [],
      insecure: false,
    },
    concurrency: 1,
    source: "unit-test",
    ...overrides,
  };
}

export function checkContext(
  fake: FakeResponse,
  options: { target?: ResolvedTarget; nowMs?: number; registryTrust?: RegistryTrust | Error } = {},
): CheckContext {
  const bodyText =
    typeof fake.body === "string" ? fake.body : fake.body === undefined ? "" : JSON.stringify(fake.body);
  const response: HttpResponse = {
    url: "http://127.0.0.1:9/connect/token",
    status: fake.status ?? 200,
    headers: Object.fromEntries(Object.entries(fake.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    bodyText,
    bodyBytes: bodyText.length,
    truncated: false,
    durationMs: 1,
  };
  const target = options.target ?? checkTarget();
  const json = (): JsonParse => {
    try {
      return { ok: true, value: JSON.parse(bodyText) as unknown };
    } catch {
      return { ok: false, message: "saw a body that is not JSON" };
    }
  };
  const trust = options.registryTrust;
  return {
    response,
    target,
    nowMs: options.nowMs ?? Date.UTC(2026, 10, 22, 12, 0, 0),
    ...(trust === undefined
      ? {}
      : { registryTrust: () => (trust instanceof Error ? Promise.reject(trust) : Promise.resolve(trust)) }),
    json,
    render: (template) =>
      template.replace("{{target.id}}", target.partyId).replace("{{client.id}}", target.client.partyId),
    jwt: (from): JwtParse => {
      const parsed = json();
      const where = `body.${from}`;
      if (!parsed.ok) return { ok: false, where, message: parsed.message };
      const value = (parsed.value as Record<string, unknown>)[from];
      if (typeof value !== "string") return { ok: false, where, message: "saw it absent" };
      const decoded = decodeJws(value);
      return decoded.ok
        ? { ok: true, where, compact: value, header: decoded.header, payload: decoded.payload }
        : { ok: false, where, message: decoded.message };
    },
  };
}
