/**
 * Runs one case: for each step, render the request (making the client assertion it needs, correct or with its
 * named defects), send it, run the step's checks, record what was sent and seen. Target non-conformance makes
 * the case `failed`; trouble of the harness, the configuration or the network makes it `broken`; missing
 * material (an identity, a CA) makes it `skipped` with the reason.
 */
import { randomInt } from "node:crypto";
import { type CertificateMint, createClientAssertion } from "../assertions/index.ts";
import type { CheckContext, JsonParse, JwtParse } from "../checks/index.ts";
import { CHECKS } from "../checks/index.ts";
import { lookup } from "../checks/json-path.ts";
import { isHarnessError, NotApplicableError } from "../errors.ts";
import type { HttpClient, OutgoingRequest } from "../http/client.ts";
import { parseJsonBody } from "../http/json-body.ts";
import type { HttpResponse } from "../http/response.ts";
import type { PartyIdentity } from "../model/identity.ts";
import type {
  CaseResult,
  CheckResult,
  NotJudged,
  Outcome,
  RecordedJwt,
  StepResult,
} from "../model/result.ts";
import type { PreviousStepSpec, RequestTemplate, Suite, SuiteCase, SuiteStep } from "../model/suite.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { Limiter } from "./limiter.ts";
import type { FlowOutcome } from "./oidc/flow.ts";
import type { OidcSession } from "./oidc/session.ts";
import { isOidcStep, prepareOidcStep, runLoginFlow } from "./oidc/step.ts";
import type { RegistrySession } from "./registry-trust.ts";
import { buildRequest, mergeRequest } from "./request-builder.ts";
import { extractJwt } from "./response-jwt.ts";
import type { SecretRegistry } from "./secrets.ts";
import { type CaseValues, type StepState, variableLookup } from "./step-variables.ts";
import { placeholdersIn, renderDeep, renderString } from "./templates.ts";

/** What every case of a run shares. */
export interface CaseEnvironment {
  readonly target: ResolvedTarget;
  readonly http: HttpClient;
  readonly limiter: Limiter;
  readonly mint: CertificateMint;
  readonly secrets: SecretRegistry;
  readonly tokens: AccessTokens;
  /** Trust from the target's participant registry (only when targets.yaml names `trust.registry`). */
  readonly registry?: RegistrySession;
  /** The run's return endpoint and browser, for OIDC steps. */
  readonly oidc?: OidcSession;
  readonly now: () => number;
  /** `--strict`: warnings (SHOULDs, tolerated variants) count as failures. */
  readonly strict?: boolean;
}

/** Ends a case early with an outcome other than failed. */
class CaseStop extends Error {
  constructor(
    readonly outcome: Exclude<Outcome, "passed" | "failed">,
    message: string,
  ) {
    super(message);
  }
}

function identityFor(name: string, target: ResolvedTarget): PartyIdentity {
  if (name === "client") return target.client;
  const identity = target.identities[name];
  if (!identity) {
    throw new CaseStop(
      "skipped",
      `needs the identity "${name}": add targets.${target.name}.identities.${name} (partyId, key, certificates) to ${target.source}`,
    );
  }
  return identity;
}

type AssertionDefects = Parameters<typeof createClientAssertion>[0]["defects"] & {};

/**
 * The client assertions a template asks for as previous_steps: each signed by its `by` identity (default the
 * client, the mask's access subject) for the acting party, whose id is their audience (spec digest §2.5, §5.2).
 */
async function previousSteps(
  specs: readonly PreviousStepSpec[],
  requester: PartyIdentity,
  env: CaseEnvironment,
  jwts: RecordedJwt[],
): Promise<string[]> {
  const made: string[] = [];
  for (const [index, spec] of specs.entries()) {
    const assertion = await createClientAssertion({
      identity: identityFor(spec.by ?? "client", env.target),
      audience: requester.partyId,
      nowMs: env.now(),
      defects: (spec.defects ?? []) as AssertionDefects,
      mint: env.mint,
    });
    env.secrets.add(assertion.jwt);
    jwts.push({
      where: `request previous_steps[${index}]`,
      header: assertion.header,
      payload: assertion.payload,
    });
    made.push(assertion.jwt);
  }
  return made;
}

/**
 * The Policy Creation Request Token of a `policyRequest` template (iSHARE 2.1+ `/delegationPolicy`): an iSHARE
 * JWT of the acting party for the target (iss = sub = its id, aud = the target, 30 s) carrying the target's
 * `delegationPolicyRequest` of that name, with the template's defects planted.
 */
async function policyRequestToken(
  spec: NonNullable<RequestTemplate["policyRequest"]>,
  identity: PartyIdentity,
  env: CaseEnvironment,
  jwts: RecordedJwt[],
): Promise<string> {
  const { target } = env;
  const policy = target.delegation?.policyRequests?.[spec.policy];
  if (policy === undefined) {
    throw new NotApplicableError(
      `needs the ${spec.policy} policy creation request: set targets.${target.name}.delegation.${spec.policy === "accepted" ? "policyRequest" : "refusedPolicyRequest"} (a JSON delegationPolicyRequest) in ${target.source}`,
    );
  }
  const made = await createClientAssertion({
    identity,
    audience: target.partyId,
    nowMs: env.now(),
    claims: { delegationPolicyRequest: policy },
    defects: (spec.defects ?? []) as AssertionDefects,
    mint: env.mint,
  });
  env.secrets.add(made.jwt);
  jwts.push({ where: "request delegationPolicyRequestToken", header: made.header, payload: made.payload });
  return made.jwt;
}

/** Refuses up front a template that needs material the target's configuration does not give. */
function assertApplicable(
  template: RequestTemplate,
  used: ReadonlySet<string>,
  target: ResolvedTarget,
): void {
  if (used.has("expiredToken") && target.expiredToken === undefined) {
    throw new NotApplicableError(
      `needs an access token that has expired: run again once a token issued in this run has expired (kept in .ishare-conformance/tokens.json next to ${target.source}), or set targets.${target.name}.expiredToken`,
    );
  }
  if (template.mask !== undefined && target.delegation === undefined) {
    throw new NotApplicableError(
      `needs delegation masks: set targets.${target.name}.delegation.permitMask and .denyMask in ${target.source}`,
    );
  }
}

/**
 * Runs `c` of `suite` against the environment's target. Never throws. `signal` (the case's deadline, the
 * run's deadline or an interrupt) aborts the exchange under way; the case then ends broken with its reason.
 */
export async function executeCase(
  suite: Suite,
  c: SuiteCase,
  env: CaseEnvironment,
  signal?: AbortSignal,
): Promise<CaseResult> {
  const started = env.now();
  const startedPerf = performance.now();
  const steps: StepResult[] = [];
  const state = new Map<string, StepState>();
  const caseValues: CaseValues = { unique: String(randomInt(100_000_000, 1_000_000_000)) };
  let status: Outcome = "passed";
  let message = "";
  let notJudged: NotJudged | undefined;
  const warnings: string[] = [];

  try {
    for (const [index, step] of c.steps.entries()) {
      const result = await executeStep(suite, step, index, env, state, caseValues, signal);
      steps.push(result.record);
      for (const check of result.record.checks) {
        if (!check.ok && check.severity === "warn") warnings.push(`${check.check}: ${check.message}`);
      }
      const failures = result.record.checks.filter((check) => !check.ok && check.severity === "fail");
      if (result.stop) {
        status = result.stop.outcome;
        message = result.stop.message;
        if (result.stop.notJudged) notJudged = { reason: result.stop.message };
        break;
      }
      if (failures.length > 0) {
        status = "failed";
        const first = failures[0]!;
        const more = failures.length > 1 ? ` (+${failures.length - 1} more failed check(s))` : "";
        const stepName = c.steps.length > 1 ? `step ${index + 1} (${result.record.name}): ` : "";
        message = `${stepName}${first.check}: ${first.message}${more} [rule: ${first.ref.title}, ${first.ref.url}]`;
        break;
      }
    }
  } catch (error) {
    status = "broken";
    message = `harness error: ${(error as Error).stack ?? String(error)}`;
  }
  if (status === "passed" && warnings.length > 0) message = `passed with ${warnings.length} warning(s)`;

  const base = {
    id: c.id,
    suite: suite.suite,
    title: c.title,
    ref: c.ref,
    tags: c.tags,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.round(performance.now() - startedPerf),
  };
  // What came from the wire (steps, messages quoting it) is redacted; our own suite text is not.
  try {
    return {
      ...base,
      status,
      message: env.secrets.redact(message),
      warnings: warnings.map((warning) => env.secrets.redact(warning)),
      steps: env.secrets.redactDeep(steps),
      ...(notJudged ? { notJudged: { reason: env.secrets.redact(notJudged.reason) } } : {}),
    };
  } catch (error) {
    // A response too strange to record (never expected: bodies are text, decoded JWTs are depth-limited).
    return {
      ...base,
      status: "broken",
      message: `harness error while recording the case (outcome was ${status}): ${(error as Error).message}`,
      warnings: [],
      steps: [],
    };
  }
}

interface StepStop {
  readonly outcome: Exclude<Outcome, "passed" | "failed">;
  readonly message: string;
  /** A precondition did not hold: the case is not judged (the message starts with `not judged: `). */
  readonly notJudged?: boolean;
}

interface StepOutcome {
  readonly record: StepResult;
  readonly stop?: StepStop;
}

async function executeStep(
  suite: Suite,
  step: SuiteStep,
  index: number,
  env: CaseEnvironment,
  state: Map<string, StepState>,
  caseValues: CaseValues,
  signal: AbortSignal | undefined,
): Promise<StepOutcome> {
  const name = step.title ?? step.id ?? `step ${index + 1}`;
  // What the report names the step after: the defects planted and the party acted as.
  const defects = step.assertion?.defects ?? [];
  const about = {
    ...(defects.length > 0 ? { defects } : {}),
    ...(step.as !== "client" ? { as: step.as } : {}),
  };
  const { target } = env;
  const jwts: RecordedJwt[] = [];
  const own: StepState = {};
  let outgoing: OutgoingRequest;
  let identity: PartyIdentity;

  try {
    identity = identityFor(step.as, target);
    const template = mergeRequest(suite.requests[step.request] ?? {}, step.mutate);
    const used = placeholdersIn(template);
    assertApplicable(template, used, target);
    if (isOidcStep(step, used)) {
      if (!env.oidc) throw new Error("this run has no OIDC session (prepareRun makes one)");
      own.oidc = await prepareOidcStep({
        step,
        used,
        target,
        identity,
        identityFor: (name) => identityFor(name, target),
        session: env.oidc,
        mint: env.mint,
        nowMs: env.now(),
        lookup: variableLookup(env, identity, own, undefined, state, caseValues),
        earlier: (id) => state.get(id)?.oidc,
        jwts,
      });
    }
    if (used.has("assertion")) {
      const reuse = step.assertion?.reuse;
      if (reuse !== undefined) {
        const earlier = state.get(reuse)?.assertion;
        if (earlier === undefined) throw new Error(`step "${reuse}" made no assertion to reuse`);
        own.assertion = earlier;
      } else {
        const claims = step.assertion?.claims;
        const made = await createClientAssertion({
          identity,
          audience: target.partyId,
          nowMs: env.now(),
          ...(claims
            ? {
                claims: renderDeep(
                  claims,
                  variableLookup(env, identity, own, undefined, state, caseValues),
                ) as Record<string, unknown>,
              }
            : {}),
          defects: (step.assertion?.defects ?? []) as AssertionDefects,
          ...(step.assertion?.alg ? { alg: step.assertion.alg } : {}),
          mint: env.mint,
        });
        own.assertion = made.jwt;
        jwts.push({ where: "request client_assertion", header: made.header, payload: made.payload });
      }
      env.secrets.add(own.assertion);
    }
    // The access token is the acting party's: a service provider asks with its own token.
    const token = used.has("token") ? await env.tokens.get(identity) : undefined;
    if (used.has("expiredToken")) env.secrets.add(target.expiredToken);
    const steps = template.previousSteps
      ? await previousSteps(template.previousSteps, identity, env, jwts)
      : undefined;
    const policyToken = template.policyRequest
      ? await policyRequestToken(template.policyRequest, identity, env, jwts)
      : undefined;
    const variables = variableLookup(env, identity, own, token, state, caseValues);
    outgoing = buildRequest(target, template, variables, {
      ...(steps ? { previousSteps: steps } : {}),
      ...(policyToken !== undefined ? { policyRequestToken: policyToken } : {}),
    });
  } catch (error) {
    return { record: { name, ...about, checks: [], jwts }, stop: stopFor(error, "preparing the request") };
  }

  const request = {
    method: outgoing.method,
    url: env.secrets.redact(outgoing.url),
    headers: redactHeaders(outgoing.headers, env.secrets),
    ...(outgoing.body !== undefined ? { body: env.secrets.redact(outgoing.body) } : {}),
  };

  let response: HttpResponse;
  let flow: FlowOutcome | undefined;
  try {
    if (step.flow === "login" && own.oidc && env.oidc) {
      flow = await runLoginFlow({
        outgoing,
        target,
        session: env.oidc,
        send: (hop) => env.limiter.run(() => env.http.send(hop, signal ? { signal } : {})),
        addSecret: (secret) => env.secrets.add(secret),
        ...(signal ? { signal } : {}),
      });
      own.oidc.outcome = flow;
      const code = flow.returned?.params["code"];
      if (code !== undefined) own.oidc.code = code;
      response = flow.last;
    } else {
      response = await env.limiter.run(() => env.http.send(outgoing, signal ? { signal } : {}));
    }
  } catch (error) {
    const stop = stopFor(error, "sending the request");
    return { record: { name, ...about, request, error: stop.message, checks: [], jwts }, stop };
  }

  let json: JsonParse | undefined;
  const jsonOf = (): JsonParse => {
    json ??= parseJsonBody(response);
    return json;
  };
  const parsed = jsonOf();
  if (parsed.ok) {
    const accessToken = lookup(parsed.value, "access_token");
    if (accessToken.found && typeof accessToken.value === "string") env.secrets.add(accessToken.value);
    // Tokens in any shape and at any depth (an id_token, {"access_token":{"value":"…"}}).
    env.secrets.addTokensInJson(parsed.value);
  }
  // Also when the body is not (valid) JSON: a token in a broken answer must not reach the reports either.
  env.secrets.addTokensIn(response.bodyText);
  const jwtCache = new Map<string, JwtParse>();
  const variables = variableLookup(env, identity, own, undefined, state, caseValues);
  const registry = env.registry;
  const context: CheckContext = {
    response,
    target,
    nowMs: env.now(),
    json: jsonOf,
    render: (template) => renderString(template, variables),
    ...(registry ? { registryTrust: () => registry.trust() } : {}),
    ...(own.oidc
      ? {
          oidc: {
            state: own.oidc.state,
            nonce: own.oidc.nonce,
            redirectUri: own.oidc.redirectUri,
            ...(flow ? { flow } : {}),
          },
        }
      : {}),
    jwt: (from) => {
      let found = jwtCache.get(from);
      if (!found) {
        // `from` may name a version-dependent member: {{delegation.tokenMember}}.
        found = extractJwt(renderString(from, variables), response, jsonOf);
        jwtCache.set(from, found);
        if (found.ok)
          jwts.push({ where: `response ${found.where}`, header: found.header, payload: found.payload });
      }
      return found;
    },
  };

  const checks: CheckResult[] = [];
  const recordSoFar = (): StepResult => ({
    name,
    ...about,
    request,
    ...(response.retries ? { retries: response.retries } : {}),
    response: {
      status: response.status,
      headers: response.headers,
      body: response.bodyText,
      truncated: response.truncated,
      durationMs: response.durationMs,
    },
    checks,
    jwts,
    ...(flow ? { hops: flow.hops } : {}),
    ...(flow && flow.screenshots.length > 0
      ? {
          screenshots: flow.screenshots.map((shot) => ({
            name: shot.name,
            pngBase64: shot.png.toString("base64"),
          })),
        }
      : {}),
  });
  for (const use of step.expect) {
    // A check that belongs to other iSHARE versions (a MUST in one, a SHOULD in another) does not run here.
    if (use.versions && !use.versions.includes(target.version)) continue;
    const check = CHECKS.get(use.check);
    if (!check) throw new Error(`unknown check ${use.check} (suite validation should have caught this)`);
    let verdict: Awaited<ReturnType<typeof check.run>>;
    try {
      verdict = await check.run(context, use.with ?? {});
    } catch (error) {
      // A check that needs trust the harness could not establish (the registry) leaves the case broken.
      if (!isHarnessError(error)) throw error;
      return { record: recordSoFar(), stop: stopFor(error, `running ${use.check}`) };
    }
    const note = use.note && !verdict.ok ? ` (${use.note})` : "";
    const promoted = env.strict === true && use.severity === "warn";
    checks.push({
      check: use.check,
      severity: promoted ? "fail" : use.severity,
      ok: verdict.ok,
      message: verdict.message + note + (promoted && !verdict.ok ? " (a warning, failed by --strict)" : ""),
      ref: use.ref,
    });
  }

  own.status = response.status;
  if (parsed.ok) own.json = parsed.value;
  if (step.id !== undefined) state.set(step.id, own);

  return { record: recordSoFar() };
}

function stopFor(error: unknown, doing: string): StepStop {
  if (error instanceof CaseStop)
    return { outcome: error.outcome === "skipped" ? "skipped" : "broken", message: error.message };
  if (isHarnessError(error)) {
    if (error.code === "NOT_APPLICABLE") return { outcome: "skipped", message: error.message };
    if (error.code === "PRECONDITION")
      return { outcome: "broken", message: `not judged: ${error.message}`, notJudged: true };
    if (error.code === "REGISTRY")
      return {
        outcome: "broken",
        message: `trust from the registry could not be established: ${error.message}`,
      };
    const kind =
      error.code === "TIMEOUT"
        ? "timeout"
        : error.code === "NETWORK" || error.code === "RESPONSE_TOO_LARGE"
          ? "network"
          : "harness";
    return { outcome: "broken", message: `${kind} error while ${doing}: ${error.message}` };
  }
  return {
    outcome: "broken",
    message: `harness error while ${doing}: ${(error as Error).stack ?? String(error)}`,
  };
}

function redactHeaders(
  headers: Readonly<Record<string, string>>,
  secrets: SecretRegistry,
): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, secrets.redact(value)]));
}
