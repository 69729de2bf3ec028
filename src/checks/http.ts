/** Checks on the HTTP envelope: status, headers, caching, content type. */
import { defineCheck, fail, pass, show } from "./check.ts";

/** `status-is`: the status is the one expected, or one of several a rule allows. */
export const statusIs = defineCheck<number | number[]>({
  name: "status-is",
  description: "The HTTP status is the expected one (or one of a list the rule allows).",
  params: {
    oneOf: [
      { type: "integer", minimum: 100, maximum: 599 },
      { type: "array", minItems: 1, items: { type: "integer", minimum: 100, maximum: 599 } },
    ],
  },
  run({ response }, expected) {
    const allowed = Array.isArray(expected) ? expected : [expected];
    const list = allowed.join(" or ");
    return allowed.includes(response.status)
      ? pass(`status ${response.status}`)
      : fail(
          `expected HTTP status ${list}, saw ${response.status}${statusDetail(response)} (response status of ${response.url})`,
        );
  },
});

/** What makes an unexpected status readable: where a redirect points (never followed), a non-JSON media type. */
export function statusDetail(response: {
  status: number;
  headers: Readonly<Record<string, string>>;
}): string {
  const location = response.headers["location"];
  if (response.status >= 300 && response.status < 400 && location !== undefined) {
    return ` (a redirect to ${location}; redirects are never followed)`;
  }
  const mediaType = response.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  return mediaType && !mediaType.includes("json") ? ` ${mediaType}` : "";
}

interface HeaderParams {
  name: string;
  /** Comma-separated directive or token that must be present, compared case-insensitively. */
  value: string;
}

const tokens = (header: string): string[] =>
  header
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== "");

/** `header-has-token`: a header lists a token, e.g. Cache-Control contains no-store. */
export const headerHasToken = defineCheck<HeaderParams>({
  name: "header-has-token",
  description: "A response header contains the given comma-separated token (case-insensitive).",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["name", "value"],
    properties: { name: { type: "string", minLength: 1 }, value: { type: "string", minLength: 1 } },
  },
  run({ response }, { name, value }) {
    const header = response.headers[name.toLowerCase()];
    if (header === undefined)
      return fail(`expected response header ${name} with "${value}", saw no ${name} header`);
    return tokens(header).includes(value.toLowerCase())
      ? pass(`${name}: ${header}`)
      : fail(`expected response header ${name} to contain "${value}", saw ${show(header)}`);
  },
});

/** `header-absent`: a header is not sent. */
export const headerAbsent = defineCheck<{ name: string }>({
  name: "header-absent",
  description: "A response header is not present.",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: { name: { type: "string", minLength: 1 } },
  },
  run({ response }, { name }) {
    const header = response.headers[name.toLowerCase()];
    return header === undefined
      ? pass(`no ${name} header`)
      : fail(`expected no response header ${name}, saw ${show(header)}`);
  },
});

/**
 * `www-authenticate-bearer`: a 401 carries a Bearer challenge (RFC 6750 §3): a WWW-Authenticate header whose
 * scheme is `Bearer` (case-insensitive, RFC 9110 §11.1), with or without auth-params.
 */
export const wwwAuthenticateBearer = defineCheck<Record<string, never>>({
  name: "www-authenticate-bearer",
  description: "The response carries a WWW-Authenticate header with the Bearer scheme (RFC 6750 §3).",
  params: { type: "object", additionalProperties: false },
  run({ response }) {
    const header = response.headers["www-authenticate"];
    if (header === undefined)
      return fail("expected a WWW-Authenticate: Bearer challenge, saw no WWW-Authenticate header");
    return /^\s*bearer(\s|$)/i.test(header)
      ? pass(`WWW-Authenticate: ${header}`)
      : fail(`expected a WWW-Authenticate challenge with the Bearer scheme, saw ${show(header)}`);
  },
});

/** `content-type-is`: the media type (parameters ignored) is the expected one, e.g. application/json. */
export const contentTypeIs = defineCheck<string>({
  name: "content-type-is",
  description: "The response media type (ignoring parameters such as charset) is the expected one.",
  params: { type: "string", pattern: "^[a-z]+/[a-z0-9.+-]+$" },
  run({ response }, expected) {
    const header = response.headers["content-type"];
    if (header === undefined) return fail(`expected Content-Type ${expected}, saw no Content-Type header`);
    const media = header.split(";")[0]?.trim().toLowerCase() ?? "";
    return media === expected
      ? pass(`Content-Type ${header}`)
      : fail(`expected Content-Type ${expected}, saw ${show(header)}`);
  },
});

/** `not-cacheable`: iSHARE non-cacheable responses carry `Cache-Control: no-store` and `Pragma: no-cache`. */
export const notCacheable = defineCheck<Record<string, never>>({
  name: "not-cacheable",
  description: "The response is marked non-cacheable: Cache-Control no-store and Pragma no-cache.",
  params: { type: "object", additionalProperties: false },
  run({ response }) {
    const cacheControl = response.headers["cache-control"];
    const pragma = response.headers["pragma"];
    const problems: string[] = [];
    if (cacheControl === undefined || !tokens(cacheControl).includes("no-store")) {
      problems.push(`Cache-Control ${cacheControl === undefined ? "absent" : show(cacheControl)}`);
    }
    if (pragma === undefined || !tokens(pragma).includes("no-cache")) {
      problems.push(`Pragma ${pragma === undefined ? "absent" : show(pragma)}`);
    }
    return problems.length === 0
      ? pass("Cache-Control no-store, Pragma no-cache")
      : fail(`expected Cache-Control: no-store and Pragma: no-cache, saw ${problems.join(", ")}`);
  },
});
