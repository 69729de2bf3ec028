/**
 * `POST /ep_creation`: the reference registry's 2.x "Create Entitled Party / Service Consumer" (2.x OpenAPI
 * `/ep_creation`; developer portal, Participant Registry role). The body is `{"ep_creation_token": <JWT>}`, an
 * iSHARE JWT signed by the caller whose `parties_info` is the party to create; a bearer token is required, and
 * only the registry itself (the party selected to create parties) may call it. The token is judged with the
 * reference's own client-assertion steps (signature, x5c chain, iss = sub = caller, aud = registry, 30 s, jti),
 * with only this endpoint's faults bending them; the answer is a signed `ep_creation_token` with the record.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { fieldName } from "../model/field-names.ts";
import { requireCaller } from "./bearer.ts";
import { validateClientAssertion } from "./client-assertion.ts";
import type { ReferenceContext } from "./context.ts";
import { type FaultName, FaultSet } from "./faults.ts";
import { oauthError, sendJson } from "./http-io.ts";
import { partyRecord } from "./party-record.ts";
import type { RegisteredParty } from "./registry-data.ts";
import { signResponseJwt } from "./response-jwt.ts";

/** The body member holding the creation JWT (2.x OpenAPI `EpCreationRequest`). */
export const EP_CREATION_TOKEN = "ep_creation_token";

/** This endpoint's faults and the client-assertion step fault each bends (the steps are shared code). */
const STEP_FAULTS: ReadonlyArray<readonly [FaultName, FaultName]> = [
  ["party-creation.skips-signature-check", "token.skips-signature-check"],
  ["party-creation.accepts-expired-token", "token.accepts-expired-assertion"],
  ["party-creation.ignores-aud", "token.ignores-aud"],
  ["party-creation.ignores-sub", "token.ignores-sub"],
  ["party-creation.no-replay-protection", "token.no-replay-protection"],
];

/** The context the creation JWT is judged in: the token endpoint's faults do not reach this endpoint. */
function judgingContext(context: ReferenceContext): ReferenceContext {
  const bent = STEP_FAULTS.filter(([own]) => context.faults.has(own)).map(([, step]) => step);
  return { ...context, faults: new FaultSet(bent) };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The party a valid `parties_info` describes, or why it is refused. */
function partyFrom(info: unknown, context: ReferenceContext): RegisteredParty | string {
  if (!isObject(info)) return "parties_info must be an object";
  const idMember = fieldName(context.version, "party_id");
  const id = info[idMember] ?? info["id"];
  if (typeof id !== "string" || id.trim() === "")
    return `parties_info.${idMember} must be a non-empty string`;
  const name = info["party_name"];
  if (typeof name !== "string" || name === "") return "parties_info.party_name must be a non-empty string";
  const now = new Date(context.now());
  const later = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
  const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");
  const adherence = isObject(info["adherence"]) ? info["adherence"] : {};
  const text = (value: unknown, fallback: string): string =>
    typeof value === "string" && value !== "" ? value : fallback;
  const status = text(adherence["status"], "Active");
  if (!["Active", "Pending", "NotActive", "Revoked"].includes(status))
    return "parties_info.adherence.status must be Active, Pending, NotActive or Revoked";
  return {
    partyId: id,
    name,
    roles: ["EntitledParty"],
    adherence: {
      status: status as RegisteredParty["adherence"]["status"],
      startDate: text(adherence["start_date"], iso(now)),
      endDate: text(adherence["end_date"], iso(later)),
    },
    certificates: [],
  };
}

/** Handles `POST /ep_creation` (`body`: the request body as read). */
export async function handlePartyCreationRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  context: ReferenceContext,
): Promise<void> {
  if (req.method !== "POST") {
    sendJson(res, 405, oauthError("invalid_request", `method ${req.method} is not allowed; use POST`), {
      headers: { allow: "POST" },
    });
    return;
  }
  const { faults } = context;
  const caller = requireCaller(req, res, context, {
    anonymousAllowed: faults.has("party-creation.no-token-required"),
  });
  if (caller === undefined) return;
  if (
    caller !== null &&
    caller !== context.self.partyId &&
    !faults.has("party-creation.any-party-may-create")
  ) {
    sendJson(
      res,
      403,
      oauthError("access_denied", `only the registry itself (${context.self.partyId}) may create parties`),
    );
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    sendJson(res, 400, oauthError("invalid_request", "the body is not JSON"));
    return;
  }
  const token = isObject(parsed) ? parsed[EP_CREATION_TOKEN] : undefined;
  if (typeof token !== "string") {
    sendJson(res, 400, oauthError("invalid_request", `the body needs ${EP_CREATION_TOKEN} (a signed JWT)`));
    return;
  }
  const verdict = await validateClientAssertion(token, caller ?? undefined, judgingContext(context));
  if (!verdict.ok) {
    sendJson(res, 400, oauthError("invalid_request", `${EP_CREATION_TOKEN} refused: ${verdict.reason}`));
    return;
  }
  const [, payloadSegment = ""] = token.split(".");
  const payload: unknown = JSON.parse(Buffer.from(payloadSegment, "base64url").toString("utf8"));
  const party = partyFrom(isObject(payload) ? payload["parties_info"] : undefined, context);
  if (typeof party === "string") {
    sendJson(res, 400, oauthError("invalid_request", party));
    return;
  }
  context.registry.addParty(party);
  const answer = await signResponseJwt(
    context,
    { parties_info: partyRecord(party, context), status: "success" },
    verdict.clientId,
  );
  sendJson(res, 200, { [EP_CREATION_TOKEN]: answer });
}
