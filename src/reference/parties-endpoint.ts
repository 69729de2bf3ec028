/**
 * `GET /parties` and `GET /parties/{id}`: the reference target's participant registry (spec digest §6.2,
 * §6.3). A bearer token is required; /parties needs at least one filter (name, the id parameter of the
 * version: 2.0 `eori`, 2.1+ `id`, or active_only), pages hold 10 records (3.0: `pageSize`, 1-100).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { fieldName } from "../model/field-names.ts";
import { requireCaller } from "./bearer.ts";
import type { ReferenceContext } from "./context.ts";
import { oauthError, sendJson } from "./http-io.ts";
import { partyRecord } from "./party-record.ts";
import type { RegisteredParty } from "./registry-data.ts";
import { signResponseJwt } from "./response-jwt.ts";

/** Records per page (v2.0: fixed at 10; 3.0: the default of `pageSize`). */
export const PAGE_SIZE = 10;

/** A `*` wildcard pattern (spec digest §6.2: a single `*` may be used), compared case-insensitively. */
function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}

function refuseMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === "GET") return false;
  sendJson(res, 405, oauthError("invalid_request", `method ${req.method} is not allowed; use GET`), {
    headers: { allow: "GET" },
  });
  return true;
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
  if (refuseMethod(req, res)) return;
  const { faults, version } = context;
  const caller = requireCaller(req, res, context, {
    anonymousAllowed: faults.has("parties.no-token-required"),
    waives: (reason) => reason === "expired" && faults.has("parties.accepts-expired-token"),
  });
  if (caller === undefined) return;
  const query = url.searchParams;
  const idParameter = fieldName(version, "eori");
  const name = query.get("name");
  const id = query.get(idParameter);
  const activeOnly = query.get("active_only");
  const page = positiveInteger(query.get("page")) ?? 1;
  const pageSize = version === "3.0" ? (positiveInteger(query.get("pageSize")) ?? PAGE_SIZE) : PAGE_SIZE;
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
  const data = found.slice(first, first + pageSize).map((party) => partyRecord(party, context));
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
  if (refuseMethod(req, res)) return;
  const caller = requireCaller(req, res, context, { anonymousAllowed: false });
  if (caller === undefined) return;
  const { faults, version } = context;
  const party = context.registry.party(id);
  if (!party && !faults.has("parties.unknown-party-200")) {
    sendJson(res, 404, { error: "not_found", error_description: `no party ${id}` });
    return;
  }
  const info = party ? partyRecord(party, context) : {};
  const token = await signResponseJwt(
    context,
    { [fieldName(version, "party_info")]: info },
    caller ?? undefined,
    faults.has("parties.party-token-lifetime-3600") ? { lifetimeS: 3600 } : {},
  );
  sendJson(res, 200, { [fieldName(version, "party_token")]: token });
}
