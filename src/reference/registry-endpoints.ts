/**
 * `GET /trusted_list`, `GET /versions` and `GET /dataspaces` of the reference target's participant registry
 * (spec digest §6.4–§6.6): signed answers; the trusted list and the data spaces need a bearer token, the
 * versions do not (a token, when given, must be valid and makes it the token's audience).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fieldName } from "../model/field-names.ts";
import { certificatePublicKey, spkiDer } from "../pki/keys.ts";
import { requireCaller } from "./bearer.ts";
import type { ReferenceContext } from "./context.ts";
import { oauthError, sendJson } from "./http-io.ts";
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

function refuseMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === "GET") return false;
  sendJson(res, 405, oauthError("invalid_request", `method ${req.method} is not allowed; use GET`), {
    headers: { allow: "GET" },
  });
  return true;
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
  if (refuseMethod(req, res)) return;
  const { faults, version } = context;
  const clientId = requireCaller(req, res, context, {
    anonymousAllowed: faults.has("trusted-list.no-token-required"),
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
  if (refuseMethod(req, res)) return;
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

/** Handles `GET /dataspaces`. */
export async function handleDataspacesRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: ReferenceContext,
): Promise<void> {
  if (refuseMethod(req, res)) return;
  const clientId = requireCaller(req, res, context, {
    anonymousAllowed: context.faults.has("dataspaces.no-token-required"),
  });
  if (clientId === undefined) return;
  const data = REFERENCE_DATASPACES.map((dataspace) => ({ ...dataspace }));
  const info = { total_count: data.length, pageCount: 1, count: data.length, data };
  const token = await signResponseJwt(context, { dataspace_info: info }, clientId ?? undefined);
  sendJson(res, 200, { dataspace_list_token: token });
}
