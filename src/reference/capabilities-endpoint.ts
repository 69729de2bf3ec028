/** `GET /capabilities`: the reference target's signed capabilities (spec digest §4). */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fieldName } from "../model/field-names.ts";
import type { BearerOutcome } from "./bearer.ts";
import { readBearer } from "./bearer.ts";
import { hostileJwt, jwtChaos } from "./chaos-jwt.ts";
import { ENDPOINT_PATHS, otherHostCanaryUrl, type ReferenceContext, trustedListPath } from "./context.ts";
import { oauthError, sendError, sendJson } from "./http-io.ts";
import { type JwtTweaks, responseJwtPayload, signResponseJwt } from "./response-jwt.ts";

/** Roles the reference target plays and advertises (it is its own participant registry). */
export const REFERENCE_ISHARE_ROLES = ["AuthorisationRegistry", "iShareSatellite"] as const;

/** A feature of capabilities_info: its friendly name, what it does, and the endpoint serving it. */
interface FeatureSpec {
  readonly feature: string;
  readonly description: string;
  readonly path: string;
}

/** Features anyone may see: endpoints that need no access token (spec digest §4, §6.5). */
const PUBLIC_FEATURES: readonly FeatureSpec[] = [
  {
    feature: "capabilities",
    description: "Retrieves the iSHARE capabilities of this party",
    path: ENDPOINT_PATHS.capabilities,
  },
  {
    feature: "access token",
    description: "Obtains an access token with an iSHARE client assertion",
    path: ENDPOINT_PATHS.token,
  },
  {
    feature: "versions",
    description: "Lists the iSHARE versions this registry supports",
    path: ENDPOINT_PATHS.versions,
  },
];

/** Features shown only with a valid access token: endpoints that require one (spec digest §6). */
const RESTRICTED_FEATURES: readonly FeatureSpec[] = [
  {
    feature: "parties",
    description: "Searches the participants of this registry",
    path: ENDPOINT_PATHS.parties,
  },
  {
    feature: "trusted list",
    description: "Lists the certificate authorities this registry trusts",
    path: trustedListPath("2.0"),
  },
  {
    feature: "dataspaces",
    description: "Lists the data spaces of this registry",
    path: ENDPOINT_PATHS.dataspaces,
  },
];

/** Restricted features of iSHARE 2.1 and later: the optional policy creation endpoint. */
const RESTRICTED_FEATURES_FROM_2_1: readonly FeatureSpec[] = [
  {
    feature: "delegation policy",
    description: "Creates a delegation policy within an Entitled Party's authorisation rules",
    path: ENDPOINT_PATHS.delegationPolicy,
  },
];

/**
 * An iSHARE 3.0 service of `capabilitiesInfo` (OpenAPI 3.0 `components.schemas.service`): `identifier` is the
 * operationId of the iSHARE-defined service, `endpointURL` where it is served.
 */
interface ServiceSpec {
  readonly identifier: string;
  readonly title: string;
  readonly description: string;
  readonly path: string;
  readonly methods: readonly string[];
}

/** 3.0 services anyone may see (the same endpoints as 2.x's public features; /frameworks replaces /versions). */
const PUBLIC_SERVICES_3_0: readonly ServiceSpec[] = [
  {
    identifier: "get-capabilities-token",
    title: "Capabilities",
    description: "Retrieves iSHARE capabilities",
    path: ENDPOINT_PATHS.capabilities,
    methods: ["GET"],
  },
  {
    identifier: "request-oauth-token",
    title: "Access token",
    description: "Obtains access token",
    path: ENDPOINT_PATHS.token,
    methods: ["POST"],
  },
  {
    identifier: "get-frameworks-list-token",
    title: "Frameworks",
    description: "Retrieves list of frameworks",
    path: ENDPOINT_PATHS.frameworks,
    methods: ["GET"],
  },
];

/** 3.0 services shown only with a valid access token. */
const RESTRICTED_SERVICES_3_0: readonly ServiceSpec[] = [
  {
    identifier: "get-parties-list-token",
    title: "Parties",
    description: "Lists and searches parties",
    path: ENDPOINT_PATHS.parties,
    methods: ["GET"],
  },
  {
    identifier: "get-trusted-list",
    title: "Trusted list",
    description: "Retrieves list of trusted certificate authorities",
    path: ENDPOINT_PATHS.trustedList30,
    methods: ["GET"],
  },
  {
    identifier: "get-dataspaces-list",
    title: "Dataspaces",
    description: "Retrieves list of dataspaces",
    path: ENDPOINT_PATHS.dataspaces,
    methods: ["GET"],
  },
  {
    identifier: "create-delegation-policy",
    title: "Delegation policy",
    description: "Request creation of a delegation policy",
    path: ENDPOINT_PATHS.delegationPolicy,
    methods: ["POST"],
  },
];

/**
 * The 3.0 `capabilitiesInfo` payload member (OpenAPI 3.0 `components.schemas.capabilitiesInfo`): `publicServices`,
 * and `restrictedServices` only when `authenticated`.
 */
export function capabilitiesInfo30(
  context: ReferenceContext,
  authenticated: boolean,
): Record<string, unknown> {
  const { faults } = context;
  const entry = (spec: ServiceSpec) => ({
    identifier: spec.identifier,
    title: spec.title,
    description: spec.description,
    endpointURL: `${context.baseUrl}${spec.path}`,
    ...(spec.path === ENDPOINT_PATHS.token
      ? {}
      : { tokenEndpoint: `${context.baseUrl}${ENDPOINT_PATHS.token}` }),
    status: "active",
    serviceType: "framework-defined",
    version: { compliesWithFrameworkVersions: ["3.0"], capabilityVersion: "1.0" },
    methods: [...spec.methods],
  });
  const publicServices = PUBLIC_SERVICES_3_0.filter(
    (spec) =>
      !(spec.identifier === "request-oauth-token" && faults.has("capabilities.no-access-token-feature")),
  ).map(entry);
  const showRestricted = authenticated || faults.has("capabilities.restricted-shown-anonymously");
  return {
    publicServices,
    ...(showRestricted ? { restrictedServices: RESTRICTED_SERVICES_3_0.map(entry) } : {}),
  };
}

/** Stable feature ids (GUIDs, like the spec's examples) for one running target, made on first use. */
export class FeatureIds {
  readonly #ids = new Map<string, string>();

  /** The id of `feature`. */
  of(feature: string): string {
    let id = this.#ids.get(feature);
    if (id === undefined) {
      id = randomUUID();
      this.#ids.set(feature, id);
    }
    return id;
  }
}

/** Fresh feature ids. */
export function newFeatureIds(): FeatureIds {
  return new FeatureIds();
}

/** The `capabilities_info` payload member (spec digest §4); restricted features only when `authenticated`. */
export function capabilitiesInfo(
  context: ReferenceContext,
  ids: FeatureIds,
  authenticated: boolean,
): Record<string, unknown> {
  const { faults } = context;
  const entry = (spec: FeatureSpec) => ({
    id: ids.of(spec.feature),
    feature: spec.feature,
    description: spec.description,
    url: `${context.baseUrl}${spec.path}`,
    ...(spec.path === ENDPOINT_PATHS.token
      ? {}
      : { token_endpoint: `${context.baseUrl}${ENDPOINT_PATHS.token}` }),
  });
  const publicFeatures = PUBLIC_FEATURES.filter(
    (spec) => !(spec.feature === "access token" && faults.has("capabilities.no-access-token-feature")),
  ).map(entry);
  const showRestricted = authenticated || faults.has("capabilities.restricted-shown-anonymously");
  return {
    party_id: faults.has("capabilities.party-id-not-iss") ? "EU.EORI.NL000000000" : context.self.partyId,
    ishare_roles: REFERENCE_ISHARE_ROLES.map((role) => ({
      role:
        role === "iShareSatellite" && faults.has("capabilities.unknown-role-name") ? "iSHARESatellite" : role,
    })),
    supported_versions: [
      {
        version: faults.has("capabilities.unknown-version-value") ? `v${context.version}` : context.version,
        supported_features: [
          {
            public: publicFeatures,
            ...(showRestricted
              ? {
                  restricted: [
                    ...RESTRICTED_FEATURES,
                    ...(context.version === "2.0" ? [] : RESTRICTED_FEATURES_FROM_2_1),
                  ].map(entry),
                }
              : {}),
          },
        ],
      },
    ],
  };
}

/** How the caller's Authorization header is read, bent by the capabilities faults that concern it. */
function bearerOf(req: IncomingMessage, context: ReferenceContext): BearerOutcome {
  const bearer = readBearer(req.headers.authorization, context);
  if (bearer.kind !== "refused") return bearer;
  const { faults } = context;
  const waived =
    (bearer.reason === "malformed" && faults.has("capabilities.accepts-malformed-authorization")) ||
    (bearer.reason === "unknown" && faults.has("capabilities.accepts-unknown-token")) ||
    (bearer.reason === "expired" && faults.has("capabilities.accepts-expired-token"));
  return waived ? { kind: "absent" } : bearer;
}

/** The JWT rules the capabilities faults bend. */
function tweaksOf(context: ReferenceContext): JwtTweaks {
  const { faults } = context;
  return {
    ...(faults.has("capabilities.token-lifetime-3600") ? { lifetimeS: 3600 } : {}),
    ...(faults.has("capabilities.kid-in-header") ? { header: { kid: "reference-1" } } : {}),
    ...(faults.has("capabilities.reversed-x5c") ? { reversedChain: true } : {}),
    ...(faults.has("capabilities.signed-by-other-key") ? { foreignKey: true } : {}),
    ...(faults.has("capabilities.no-jti") ? { omit: ["jti"] } : {}),
  };
}

/** Handles one request to the capabilities endpoint. */
export async function handleCapabilitiesRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: ReferenceContext,
  ids: FeatureIds,
): Promise<void> {
  if (req.method !== "GET") {
    sendJson(res, 405, oauthError("invalid_request", `method ${req.method} is not allowed; use GET`), {
      headers: { allow: "GET" },
    });
    return;
  }
  const bearer = bearerOf(req, context);
  if (bearer.kind === "refused") {
    // 3.0: RFC 9457 problem details, like every 3.0 error outside /connect/token.
    sendError(res, bearer.status, bearer.body, {
      headers: bearer.headers,
      problem: context.version === "3.0" && !context.faults.has("registry.errors-as-oauth-json"),
    });
    return;
  }
  const { faults } = context;
  let audience: string | undefined;
  if (bearer.kind === "valid") {
    audience = faults.has("capabilities.aud-not-requester") ? context.self.partyId : bearer.token.clientId;
  } else if (faults.has("capabilities.aud-when-anonymous")) {
    audience = context.self.partyId;
  }
  const info =
    context.version === "3.0"
      ? capabilitiesInfo30(context, bearer.kind === "valid")
      : capabilitiesInfo(context, ids, bearer.kind === "valid");
  const infoMember = { [fieldName(context.version, "capabilities_info")]: info };
  const chaos = jwtChaos(faults);
  const token =
    chaos && context.chaos
      ? await hostileJwt(
          chaos,
          context,
          context.chaos.issuing,
          responseJwtPayload(context, infoMember, audience),
          otherHostCanaryUrl(context.baseUrl),
        )
      : await signResponseJwt(context, infoMember, audience, tweaksOf(context));
  sendJson(res, 200, { [fieldName(context.version, "capabilities_token")]: token });
}
