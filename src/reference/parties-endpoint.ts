/**
 * `GET /parties` and `GET /parties/{id}`: the reference target's participant registry (spec digest §6.2,
 * §6.3). A bearer token is required; 2.x /parties needs at least one filter (name, the id parameter of the
 * version: 2.0 `eori`, 2.1 `id`, or active_only), pages hold 10 records. 3.0 (OpenAPI 3.0 at
 * iSHAREScheme/openapi@0118ad0 `/[v3.0]/parties`): every filter is optional (id, alsoKnownAs, name), pages
 * are `page` / `pageSize` (1-100, default 10) with `paginationInfo`, a party is found by its id or any of its
 * alsoKnownAs ids, and errors are problem details.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { fieldName } from "../model/field-names.ts";
import { requireCaller } from "./bearer.ts";
import type { ReferenceContext } from "./context.ts";
import { oauthError, sendError, sendJson } from "./http-io.ts";
import { aliasesOf, partyRecordOf } from "./party-record.ts";
import type { RegisteredParty } from "./registry-data.ts";
import { paged } from "./registry-endpoints.ts";
import { signResponseJwt } from "./response-jwt.ts";

/** Records per page (v2.0: fixed at 10; 3.0: the default of `pageSize`). */
export const PAGE_SIZE = 10;

/** A `*` wildcard pattern (spec digest §6.2: a single `*` may be used), compared case-insensitively. */
function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}

function refuseMethod(req: IncomingMessage, res: ServerResponse, context: ReferenceContext): boolean {
  if (req.method === "GET") return false;
  sendError(res, 405, oauthError("invalid_request", `method ${req.method} is not allowed; use GET`), {
    headers: { allow: "GET" },
    problem: context.version === "3.0",
  });
  return true;
}

/** The party known by `id`: its registered id, or at 3.0 one of its alsoKnownAs ids too. */
function partyKnownAs(id: string, context: ReferenceContext): RegisteredParty | undefined {
  const exact = context.registry.party(id);
  if (exact || context.version !== "3.0" || context.faults.has("parties.no-alias-lookup")) return exact;
  return context.registry.parties().find((party) => aliasesOf(party.partyId).includes(id));
}

/** Handles 3.0 `GET /parties?...` (every filter optional; `paginationInfo`). */
async function handleParties30(
  res: ServerResponse,
  url: URL,
  context: ReferenceContext,
  caller: string | null,
): Promise<void> {
  const { faults } = context;
  const query = url.searchParams;
  const name = query.get("name");
  const id = query.get("id");
  const alias = query.get("alsoKnownAs");
  const matches = (party: RegisteredParty): boolean =>
    (name === null || wildcard(name).test(party.name)) &&
    (id === null || faults.has("parties.ignores-id-filter") || party.partyId === id) &&
    (alias === null || aliasesOf(party.partyId).includes(alias));
  const found = context.registry.parties().filter(matches);
  const page = paged(found, url, res, context, faults.has("parties.page-size-unbounded"));
  if (!page) return;
  const pageSize = Number(page.info["pageSize"]);
  const data = (faults.has("parties.ignores-page") ? found.slice(0, pageSize) : page.data).map((party) =>
    partyRecordOf(party, context),
  );
  const totalCount = found.length + (faults.has("parties.wrong-count") ? 1 : 0);
  const info = {
    ...page.info,
    totalCount,
    ...(faults.has("parties.count-is-total") ? { count: totalCount } : { count: data.length }),
    data,
  };
  const token = await signResponseJwt(
    context,
    { partiesInfo: info },
    caller ?? undefined,
    faults.has("parties.reversed-x5c") ? { reversedChain: true } : {},
  );
  sendJson(res, 200, { partiesToken: token });
}

/** Reads a positive integer parameter; undefined when absent, NaN when invalid. */
function positiveInteger(value: string | null): number | undefined {
  if (value === null) return undefined;
  return /^[1-9]\d*$/.test(value) ? Number(value) : Number.NaN;
}

/** Handles `GET /parties?...`. */
export async function handlePartiesRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: ReferenceContext,
): Promise<void> {
  if (refuseMethod(req, res, context)) return;
  const { faults, version } = context;
  const caller = requireCaller(req, res, context, {
    anonymousAllowed: faults.has("parties.no-token-required"),
    waives: (reason) => reason === "expired" && faults.has("parties.accepts-expired-token"),
    problem: version === "3.0",
  });
  if (caller === undefined) return;
  if (version === "3.0") {
    await handleParties30(res, url, context, caller);
    return;
  }
  const query = url.searchParams;
  const idParameter = fieldName(version, "eori");
  const name = query.get("name");
  const id = query.get(idParameter);
  const activeOnly = query.get("active_only");
  const page = positiveInteger(query.get("page")) ?? 1;
  const pageSize = PAGE_SIZE;
  if (Number.isNaN(page) || Number.isNaN(pageSize) || pageSize > 100) {
    sendJson(res, 400, oauthError("invalid_request", "page (and pageSize, 1-100) must be positive integers"));
    return;
  }
  if (activeOnly !== null && activeOnly !== "true" && activeOnly !== "false") {
    sendJson(res, 400, oauthError("invalid_request", "active_only must be true or false"));
    return;
  }
  if (name === null && id === null && activeOnly === null && !faults.has("parties.no-parameter-required")) {
    sendJson(
      res,
      400,
      oauthError(
        "invalid_request",
        `at least one of name, ${idParameter}, active_only is required (name=* lists all)`,
      ),
    );
    return;
  }
  const matches = (party: RegisteredParty): boolean =>
    (name === null || wildcard(name).test(party.name)) &&
    (id === null || faults.has("parties.ignores-id-filter") || wildcard(id).test(party.partyId)) &&
    (activeOnly !== "true" || party.adherence.status === "Active") &&
    (activeOnly !== "false" || party.adherence.status !== "Active");
  const found = context.registry.parties().filter(matches);
  const first = faults.has("parties.ignores-page") ? 0 : (page - 1) * pageSize;
  const data = found.slice(first, first + pageSize).map((party) => partyRecordOf(party, context));
  const count = found.length + (faults.has("parties.wrong-count") ? 1 : 0);
  const token = await signResponseJwt(
    context,
    { [fieldName(version, "parties_info")]: { count, data } },
    caller ?? undefined,
    faults.has("parties.reversed-x5c") ? { reversedChain: true } : {},
  );
  sendJson(res, 200, { [fieldName(version, "parties_token")]: token });
}

/** Handles `GET /parties/{id}` (`id` already decoded). */
export async function handlePartyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  context: ReferenceContext,
): Promise<void> {
  if (refuseMethod(req, res, context)) return;
  const { faults, version } = context;
  const caller = requireCaller(req, res, context, { anonymousAllowed: false, problem: version === "3.0" });
  if (caller === undefined) return;
  const party = partyKnownAs(id, context);
  if (!party && !faults.has("parties.unknown-party-200")) {
    sendError(res, 404, oauthError("not_found", `no party ${id}`), { problem: version === "3.0" });
    return;
  }
  const info = party ? partyRecordOf(party, context) : {};
  const token = await signResponseJwt(
    context,
    { [fieldName(version, "party_info")]: info },
    caller ?? undefined,
    faults.has("parties.party-token-lifetime-3600") ? { lifetimeS: 3600 } : {},
  );
  sendJson(res, 200, { [fieldName(version, "party_token")]: token });
}
