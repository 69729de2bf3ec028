/**
 * `GET /trusted_list` (3.0 `/trustedList`), `GET /versions` (3.0: `GET /frameworks`) and `GET /dataspaces` of
 * the reference target's participant registry (spec digest §6.4–§6.6; OpenAPI 3.0 at iSHAREScheme/openapi@0118ad0):
 * signed answers; the trusted list, the data spaces and the 3.0 frameworks need a bearer token, the 2.x versions
 * do not (a token, when given, must be valid and makes it the token's audience). 3.0 lists are paged
 * (`paginationInfo`: currentPage, pageSize, totalPages, totalCount, count) and 3.0 errors are problem details.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fieldName } from "../model/field-names.ts";
import { certificatePublicKey, spkiDer } from "../pki/keys.ts";
import { requireCaller } from "./bearer.ts";
import type { ReferenceContext } from "./context.ts";
import { oauthError, sendError, sendJson } from "./http-io.ts";
import type { TrustedListEntry } from "./registry-data.ts";
import { signResponseJwt } from "./response-jwt.ts";

/** The data spaces the reference registry lists (spec digest §6.6 id pattern). */
export const REFERENCE_DATASPACES = [
  {
    dataspace_id: "EU.DS.MOB.NL.CONFORMANCE",
    dataspace_title: "iSHARE Conformance Test Data Space",
    dataspacedef_url: "https://example.org/dataspaces/conformance",
    dataspace_website: "https://example.org/",
    tags: "test",
    status: "Active",
    country_reg: "NL",
    countries_operation: ["NL"],
    sectors: ["Logistics"],
  },
] as const;

/** From when the reference registry's version is valid (a fixed, past date). */
const VERSION_VALID_FROM = "2024-01-01T00:00:00Z";

/** The iSHARE 3.0 data space records (OpenAPI 3.0 `components.schemas.dataspace`). */
export const REFERENCE_DATASPACES_3_0 = [
  {
    id: "EU.DS.MOB.NL.CONFORMANCE",
    title: "iSHARE Conformance Test Data Space",
    dataSpaceDescriptionUrl: "https://example.org/dataspaces/conformance",
    website: "https://example.org/",
    tags: "test",
    status: "active",
    countryRegistration: "NL",
    countriesOperation: ["The Netherlands"],
    sectors: ["Logistics"],
  },
] as const;

/** Records per page of a 3.0 list when `pageSize` is not given (OpenAPI 3.0: default 10, maximum 100). */
const DEFAULT_PAGE_SIZE_3_0 = 10;

function refuseMethod(req: IncomingMessage, res: ServerResponse, context: ReferenceContext): boolean {
  if (req.method === "GET") return false;
  sendError(res, 405, oauthError("invalid_request", `method ${req.method} is not allowed; use GET`), {
    headers: { allow: "GET" },
    problem: context.version === "3.0",
  });
  return true;
}

/** Reads a positive integer query parameter; undefined when absent, NaN when invalid. */
function positiveInteger(value: string | null): number | undefined {
  if (value === null) return undefined;
  return /^[1-9]\d*$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * One page of `items` with the 3.0 `paginationInfo` members (OpenAPI 3.0 `components.schemas.paginationInfo`):
 * `totalCount` all items, `count` the items on this page; undefined (after answering 400) for a bad page or pageSize.
 */
export function paged<T>(
  items: readonly T[],
  url: URL,
  res: ServerResponse,
  context: ReferenceContext,
  /** Take a pageSize above 100 as 100 instead of refusing it (the `parties.page-size-unbounded` fault). */
  clampPageSize = false,
): { readonly info: Record<string, unknown>; readonly data: T[] } | undefined {
  const page = positiveInteger(url.searchParams.get("page")) ?? 1;
  const asked = positiveInteger(url.searchParams.get("pageSize")) ?? DEFAULT_PAGE_SIZE_3_0;
  const pageSize = clampPageSize && asked > 100 ? 100 : asked;
  if (Number.isNaN(page) || Number.isNaN(pageSize) || pageSize > 100) {
    sendError(
      res,
      400,
      oauthError("invalid_request", "page and pageSize (1-100) must be positive integers"),
      { problem: !context.faults.has("registry.errors-as-oauth-json") },
    );
    return undefined;
  }
  const data = items.slice((page - 1) * pageSize, page * pageSize);
  return {
    info: {
      currentPage: page,
      pageSize,
      totalPages: Math.max(1, Math.ceil(items.length / pageSize)),
      totalCount: items.length,
      count: data.length,
    },
    data,
  };
}

function fingerprintOf(entry: TrustedListEntry, context: ReferenceContext): string {
  const { faults } = context;
  if (faults.has("trusted-list.fingerprint-of-public-key")) {
    return createHash("sha256")
      .update(spkiDer(certificatePublicKey(entry.certificate)))
      .digest("hex")
      .toUpperCase();
  }
  if (faults.has("trusted-list.fingerprint-with-colons")) {
    return entry.certificateFingerprint.match(/../g)?.join(":") ?? entry.certificateFingerprint;
  }
  return entry.certificateFingerprint;
}

/** Handles `GET /trusted_list`. */
export async function handleTrustedListRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: ReferenceContext,
): Promise<void> {
  if (refuseMethod(req, res, context)) return;
  const { faults, version } = context;
  const clientId = requireCaller(req, res, context, {
    anonymousAllowed: faults.has("trusted-list.no-token-required"),
    problem: version === "3.0",
  });
  if (clientId === undefined) return;
  const list = context.registry.trustedList().map((entry) => ({
    subject: entry.subject,
    [fieldName(version, "certificate_fingerprint")]: fingerprintOf(entry, context),
    validity: entry.validity,
    status: faults.has("trusted-list.status-not-enumerated") ? "active" : entry.status,
  }));
  const token = await signResponseJwt(
    context,
    { [fieldName(version, "trusted_list")]: list },
    clientId ?? undefined,
    faults.has("trusted-list.signed-by-other-key") ? { foreignKey: true } : {},
  );
  sendJson(res, 200, { [fieldName(version, "trusted_list_token")]: token });
}

/** Handles `GET /versions` (no token needed). */
export async function handleVersionsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: ReferenceContext,
): Promise<void> {
  if (refuseMethod(req, res, context)) return;
  const { faults } = context;
  const clientId = requireCaller(req, res, context, {
    anonymousAllowed: !faults.has("versions.requires-token"),
  });
  if (clientId === undefined) return;
  const audience = clientId ?? (faults.has("versions.aud-when-anonymous") ? context.self.partyId : undefined);
  const info = [
    { version_name: `${context.version}.0`, valid_from: VERSION_VALID_FROM, version_status: "active" },
  ];
  const token = await signResponseJwt(context, { versions_info: info }, audience);
  sendJson(res, 200, { versions_token: token });
}

/** The frameworks the reference registry lists at 3.0 (OpenAPI 3.0 `components.schemas.framework`). */
function referenceFrameworks(context: ReferenceContext): Array<Record<string, unknown>> {
  return [
    {
      id: "iSHARE",
      title: "iSHARE Trust Framework",
      defUrl: "https://framework.ishare.eu",
      website: "https://www.ishare.eu",
      frameworkOwner: "iSHARE Foundation",
      versions: [{ version: context.version, status: "active" }],
    },
  ];
}

/** Handles 3.0 `GET /frameworks` (a bearer token is required: OpenAPI 3.0 security BearerAuth, 401). */
export async function handleFrameworksRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: ReferenceContext,
): Promise<void> {
  if (refuseMethod(req, res, context)) return;
  const { faults } = context;
  const clientId = requireCaller(req, res, context, {
    anonymousAllowed: faults.has("frameworks.no-token-required"),
    problem: true,
  });
  if (clientId === undefined) return;
  const page = paged(referenceFrameworks(context), url, res, context);
  if (!page) return;
  const info = faults.has("frameworks.no-pagination-info")
    ? { data: page.data }
    : { ...page.info, data: page.data };
  const token = await signResponseJwt(context, { frameworksInfo: info }, clientId ?? undefined);
  sendJson(res, 200, { frameworksToken: token });
}

/** Handles `GET /dataspaces` (3.0: paged with page and pageSize). */
export async function handleDataspacesRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: ReferenceContext,
): Promise<void> {
  if (refuseMethod(req, res, context)) return;
  const { version } = context;
  const clientId = requireCaller(req, res, context, {
    anonymousAllowed: context.faults.has("dataspaces.no-token-required"),
    problem: version === "3.0",
  });
  if (clientId === undefined) return;
  if (version === "3.0") {
    const page = paged(
      REFERENCE_DATASPACES_3_0.map((dataspace) => ({ ...dataspace })),
      url,
      res,
      context,
    );
    if (!page) return;
    const token = await signResponseJwt(
      context,
      { [fieldName(version, "dataspace_info")]: { ...page.info, data: page.data } },
      clientId ?? undefined,
    );
    sendJson(res, 200, { [fieldName(version, "dataspace_list_token")]: token });
    return;
  }
  const data = REFERENCE_DATASPACES.map((dataspace) => ({ ...dataspace }));
  const info = { total_count: data.length, pageCount: 1, count: data.length, data };
  const token = await signResponseJwt(context, { dataspace_info: info }, clientId ?? undefined);
  sendJson(res, 200, { dataspace_list_token: token });
}
