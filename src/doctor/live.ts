/**
 * The pre-flight's live checks: the target is reachable (TLS right, "this port speaks plain HTTP" instead of a
 * TLS error), its capabilities parse and name the configured party id and version, the JWT they come in chains
 * to a configured trust anchor, the advertised token endpoint is the configured one, and one valid access token
 * is obtained. Each problem is one sentence naming the key of targets.yaml to fix.
 */
import { X509Certificate as NodeX509Certificate } from "node:crypto";
import { CertificateMint } from "../assertions/index.ts";
import { AccessTokens } from "../engine/access-tokens.ts";
import { advertisedEndpoints } from "../engine/discovery.ts";
import type { Limiter } from "../engine/limiter.ts";
import { endpointUrl } from "../engine/request-builder.ts";
import type { SecretRegistry } from "../engine/secrets.ts";
import { isHarnessError } from "../errors.ts";
import type { HttpClient } from "../http/client.ts";
import type { HttpResponse } from "../http/response.ts";
import { decodeJws, x5cCertificates } from "../jwt/index.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { subjectOf, toPem } from "../pki/index.ts";
import { configProblem, type Finding, ok, targetProblem, warning } from "./finding.ts";

export interface LiveContext {
  readonly target: ResolvedTarget;
  /** Endpoint keys set in targets.yaml (the rest are defaults or discovered). */
  readonly configured: Readonly<Record<string, string>>;
  readonly http: HttpClient;
  readonly limiter: Limiter;
  readonly secrets: SecretRegistry;
  readonly now: () => number;
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `message` and `code` of an error and its causes, for classification. */
function describeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(current.message, String((current as { code?: unknown }).code ?? ""));
    current = current.cause;
  }
  return parts.join(" ");
}

/** A failure below HTTP, as one sentence naming baseUrl or the TLS keys (a timeout or reset is the target's). */
function networkFinding(error: unknown, target: ResolvedTarget, what: string): Finding {
  const message = errorMessage(error);
  const at = `targets.${target.name}.baseUrl`;
  const check = "reachable";
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|wrong version number/i.test(describeChain(error))) {
    return configProblem(
      check,
      `${at} is ${target.baseUrl}, but that port speaks plain HTTP, not TLS; use ${target.baseUrl.replace(/^https:/, "http:")} (test targets only) or the target's HTTPS port`,
    );
  }
  if (/ECONNREFUSED/.test(message))
    return configProblem(
      check,
      `${at}: nothing answers at ${target.baseUrl} (${what}: connection refused); check the host and port`,
    );
  if (/host name not found/.test(message))
    return configProblem(
      check,
      `${at}: the host of ${target.baseUrl} is not found (${what}); check the host name`,
    );
  if (/TLS/.test(message)) return configProblem("TLS", `${what}: ${message}`);
  return targetProblem(check, `${what}: ${message}`);
}

/** The capabilities answer, anonymously; undefined (with a finding) when none could be read. */
async function fetchCapabilities(
  context: LiveContext,
  findings: Finding[],
): Promise<HttpResponse | undefined> {
  const { target } = context;
  let url: string;
  try {
    url = endpointUrl(target, "capabilities");
  } catch (error) {
    findings.push(warning("capabilities", errorMessage(error)));
    return undefined;
  }
  try {
    const response = await context.limiter.run(() =>
      context.http.send({ method: "GET", url, headers: { accept: "application/json" } }),
    );
    if (response.status === 200) return response;
    findings.push(
      warning(
        "capabilities",
        `GET ${url} answered ${response.status}; check targets.${target.name}.endpoints.capabilities (and a path prefix in baseUrl)`,
      ),
    );
    return response;
  } catch (error) {
    findings.push(networkFinding(error, target, `GET ${url}`));
    return undefined;
  }
}

/** The capabilities_token's payload and chain checks: party id, version, trust anchors. */
function judgeCapabilities(context: LiveContext, response: HttpResponse, findings: Finding[]): void {
  const { target } = context;
  const at = `targets.${target.name}`;
  let token: unknown;
  try {
    const body = JSON.parse(response.bodyText) as {
      capabilities_token?: unknown;
      capabilitiesToken?: unknown;
    };
    token = body.capabilities_token ?? body.capabilitiesToken;
  } catch {
    token = undefined;
  }
  const decoded = typeof token === "string" ? decodeJws(token) : undefined;
  if (!decoded?.ok) {
    findings.push(
      warning(
        "capabilities",
        `the capabilities answer holds no readable capabilities_token; the cases will say more (CAP-001)`,
      ),
    );
    return;
  }
  const info = (decoded.payload["capabilities_info"] ?? decoded.payload["capabilitiesInfo"]) as
    | { party_id?: unknown; partyId?: unknown; supported_versions?: unknown; supportedVersions?: unknown }
    | undefined;
  const named = info?.party_id ?? info?.partyId ?? decoded.payload["iss"];
  if (typeof named === "string" && named !== target.partyId) {
    findings.push(
      configProblem(
        "target party id",
        `${at}.partyId is ${target.partyId}, but the target's capabilities name ${named}; set ${at}.partyId: ${named} (client assertions are addressed to it)`,
      ),
    );
  } else if (typeof named === "string") {
    findings.push(ok("target party id", `the capabilities name ${named}, as configured`));
  }
  const versions = info?.supported_versions ?? info?.supportedVersions;
  if (Array.isArray(versions)) {
    const listed = versions
      .map((entry) => (entry as { version?: unknown } | null)?.version)
      .filter((version): version is string => typeof version === "string");
    const matches = listed.some(
      (version) => version === target.version || version.startsWith(`${target.version}.`),
    );
    if (listed.length > 0 && !matches) {
      findings.push(
        configProblem(
          "iSHARE version",
          `${at}.version is "${target.version}", but the target's capabilities list version ${listed.join(", ")}; set ${at}.version to the version the target follows`,
        ),
      );
    } else if (listed.length > 0) {
      findings.push(ok("iSHARE version", `the capabilities list version ${listed.join(", ")}`));
    }
  }
  anchorFinding(context, decoded.header, findings);
  advertisedTokenFinding(context, response, findings);
}

/** The chain of the capabilities_token ends at (or under) one of trust.anchors. */
function anchorFinding(context: LiveContext, header: Record<string, unknown>, findings: Finding[]): void {
  const { target } = context;
  if (target.anchors.length === 0) return;
  const chain = x5cCertificates(header);
  if (!chain.ok) return;
  const last = chain.certs[chain.certs.length - 1]!;
  const nodeLast = new NodeX509Certificate(toPem(last));
  const anchored = target.anchors.some((anchor) => {
    const nodeAnchor = new NodeX509Certificate(toPem(anchor));
    return (
      nodeLast.fingerprint256 === nodeAnchor.fingerprint256 ||
      (nodeLast.checkIssued(nodeAnchor) && nodeLast.verify(nodeAnchor.publicKey))
    );
  });
  const at = `targets.${target.name}.trust.anchors`;
  if (anchored) {
    findings.push(ok("trust anchors", `the target's signing chain ends at one of ${at}`));
    return;
  }
  findings.push(
    configProblem(
      "trust anchors",
      `${at}: the target signs with a chain ending at ${subjectOf(last)} (issued by ${last.issuer}), which none of the configured anchors (${target.anchors.map(subjectOf).join("; ")}) is or issued; point ${at} at the target's root CA`,
    ),
  );
}

/** Each advertised endpoint vs the configured one (anonymous capabilities: the public features). */
function advertisedTokenFinding(context: LiveContext, response: HttpResponse, findings: Finding[]): void {
  const { target, configured } = context;
  for (const [key, advertised] of Object.entries(advertisedEndpoints(response.bodyText))) {
    if (configured[key] === undefined) continue;
    const mine = endpointUrl(target, key);
    if (mine.replace(/\/+$/, "") !== advertised.replace(/\/+$/, "")) {
      findings.push(
        warning(
          "advertised endpoints",
          `targets.${target.name}.endpoints.${key} is ${mine}, but the target's capabilities advertise ${advertised}`,
        ),
      );
    }
  }
}

/** One valid access token for the client; a refusal is the target's (TOKEN-001 fails), a 404 the config's. */
async function tokenFinding(
  context: LiveContext,
  capabilities: HttpResponse | undefined,
  findings: Finding[],
): Promise<void> {
  const { target } = context;
  const check = "access token";
  let url: string;
  try {
    url = endpointUrl(target, "token");
  } catch (error) {
    findings.push(configProblem(check, errorMessage(error)));
    return;
  }
  const tokens = new AccessTokens(
    target,
    context.http,
    context.limiter,
    new CertificateMint(undefined, context.now),
    context.secrets,
    context.now,
  );
  try {
    await tokens.get();
    findings.push(ok(check, `POST ${url} issued an access token to ${target.client.partyId}`));
    return;
  } catch (error) {
    const message = errorMessage(error);
    if (isHarnessError(error) && error.code !== "PRECONDITION") {
      findings.push(networkFinding(error, target, `POST ${url}`));
      return;
    }
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined && isHarnessError(cause)) {
      findings.push(networkFinding(cause, target, `POST ${url}`));
      return;
    }
    const status = /saw (\d{3})/.exec(message)?.[1];
    if (status === "404" || status === "405") {
      const advertised = capabilities ? advertisedEndpoints(capabilities.bodyText)["token"] : undefined;
      const capsMissing = capabilities === undefined || capabilities.status === 404;
      const fix = advertised
        ? `the target's capabilities advertise ${advertised}: set targets.${target.name}.endpoints.token to it`
        : capsMissing
          ? `GET /capabilities is not found either: check targets.${target.name}.baseUrl (${target.baseUrl}; a path prefix?) and endpoints.token`
          : `check targets.${target.name}.endpoints.token`;
      const key = capsMissing && !advertised ? "baseUrl" : "endpoints.token";
      findings.push(
        configProblem(check, `targets.${target.name}.${key}: POST ${url} answered ${status}; ${fix}`),
      );
      return;
    }
    findings.push(
      targetProblem(
        check,
        `the target refused the valid token request of ${target.client.partyId} (${message.replace(/^precondition failed: the target refused the valid token request: /, "")}); ` +
          `if targets.${target.name}.client (partyId, key, certificates) is a party registered and Active for this target, the target is at fault: TOKEN-001 fails and the cases that need a token are not judged`,
      ),
    );
  }
}

/** Every live check, in order; never throws. */
export async function liveFindings(context: LiveContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const capabilities = await fetchCapabilities(context, findings);
  if (findings.some((finding) => finding.kind === "config")) return findings;
  if (capabilities?.status === 200) judgeCapabilities(context, capabilities, findings);
  if (findings.some((finding) => finding.kind === "config")) return findings;
  await tokenFinding(context, capabilities, findings);
  return findings;
}
