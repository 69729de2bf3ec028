/** Builds the concrete HTTP request of a step: base request + mutation, placeholders rendered, body encoded. */
import { HarnessError } from "../errors.ts";
import type { OutgoingRequest } from "../http/client.ts";
import type { RequestTemplate } from "../model/suite.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { renderDeep, renderString, type VariableLookup } from "./templates.ts";

type StringMap = Readonly<Record<string, string | null>>;

function mergeMaps(base: StringMap | undefined, change: StringMap | undefined): StringMap | undefined {
  if (!change) return base;
  return { ...base, ...change };
}

/** The base request with a mutation applied: scalar members replaced, maps merged (`null` removes a key). */
export function mergeRequest(base: RequestTemplate, mutate: RequestTemplate | undefined): RequestTemplate {
  if (!mutate) return base;
  const merged: Record<string, unknown> = { ...base, ...mutate };
  for (const key of ["query", "headers", "form"] as const) {
    const map = mergeMaps(base[key], mutate[key]);
    if (map) merged[key] = map;
  }
  return merged as RequestTemplate;
}

/** The URL of an endpoint key: absolute as configured, or joined to the base URL. */
export function endpointUrl(target: ResolvedTarget, endpoint: string): string {
  const path = target.endpoints[endpoint];
  if (path === undefined) {
    throw new HarnessError(
      "NOT_APPLICABLE",
      `the target has no "${endpoint}" endpoint: set targets.${target.name}.endpoints.${endpoint} in ${target.source}`,
    );
  }
  return /^https?:\/\//.test(path) ? path : `${target.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`;
}

function renderMap(map: StringMap | undefined, lookup: VariableLookup): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map ?? {})) {
    if (value !== null) out[key] = renderString(value, lookup);
  }
  return out;
}

/** Renders a request template into what goes on the wire. */
export function buildRequest(
  target: ResolvedTarget,
  template: RequestTemplate,
  lookup: VariableLookup,
): OutgoingRequest {
  const method = template.method ?? "GET";
  const endpoint = template.endpoint ?? "";
  let url = endpointUrl(target, endpoint);
  if (template.path !== undefined) url += renderString(template.path, lookup);
  const query = renderMap(template.query, lookup);
  const form = renderMap(template.form, lookup);
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [key, value] of Object.entries(renderMap(template.headers, lookup)))
    headers[key.toLowerCase()] = value;
  const removedHeaders = Object.entries(template.headers ?? {})
    .filter(([, value]) => value === null)
    .map(([key]) => key.toLowerCase());

  let body: string | undefined;
  const bodyAs = template.bodyAs ?? "form";
  if (template.body !== undefined) {
    body = renderString(template.body, lookup);
  } else if (template.json !== undefined) {
    body = JSON.stringify(renderDeep(template.json, lookup));
    headers["content-type"] ??= "application/json";
  } else if (template.form !== undefined) {
    if (bodyAs === "query") Object.assign(query, form);
    else if (bodyAs === "json") {
      body = JSON.stringify(form);
      headers["content-type"] ??= "application/json";
    } else {
      body = new URLSearchParams(form).toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded";
    }
  }
  for (const key of removedHeaders) delete headers[key];
  const search = new URLSearchParams(query).toString();
  if (search) url += (url.includes("?") ? "&" : "?") + search;
  return { method, url, headers, ...(body !== undefined ? { body } : {}) };
}
