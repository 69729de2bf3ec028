/** The engine: prepare a run from configuration, plan its cases, run them one by one (never throwing). */
import type { X509Certificate } from "@peculiar/x509";
import { CertificateMint, defectIdentities } from "../assertions/index.ts";
import { assertKnownEndpointKeys, knownEndpointKeys } from "../config/endpoint-keys.ts";
import { applyFieldNames } from "../config/field-placeholders.ts";
import { loadSuites, SUITES_DIR } from "../config/suites.ts";
import { type ExternalTargetConfig, loadTargetsFile, pickTarget } from "../config/targets.ts";
import { ConfigError } from "../errors.ts";
import { HttpClient } from "../http/client.ts";
import { describeProxy } from "../http/dispatcher.ts";
import type { CaseResult } from "../model/result.ts";
import type { Suite, SuiteCase } from "../model/suite.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { verifyChainOnTrustedList } from "../pki/index.ts";
import { AccessTokens } from "./access-tokens.ts";
import { bareResult } from "./bare-result.ts";
import { controlNotAccepted, notJudgedResult } from "./controls.ts";
import { DEFAULT_CASE_TIMEOUT_MS, DEFAULT_RUN_TIMEOUT_MS, RunDeadline } from "./deadline.ts";
import { discoverEndpoints, FEATURE_ENDPOINTS } from "./discovery.ts";
import { type CaseEnvironment, executeCase } from "./execute-case.ts";
import { IssuerTrust } from "./issuer-trust.ts";
import { keyFilesOf, keyFileWarnings } from "./key-files.ts";
import { Limiter } from "./limiter.ts";
import { OidcSession } from "./oidc/session.ts";
import { planCases } from "./plan.ts";
import { RegistrySession } from "./registry-trust.ts";
import { resolveExternalTarget } from "./resolve-target.ts";
import type { PlannedCase, PreparedRun, RunCaseOptions, RunOptions } from "./run.ts";
import { SecretRegistry } from "./secrets.ts";
import { TokenState, tokenKey, tokenStateFile } from "./token-state.ts";

export { DEFAULT_CASE_TIMEOUT_MS, DEFAULT_RUN_TIMEOUT_MS, formatDeadline, RunDeadline } from "./deadline.ts";
export { DEFAULT_CONCURRENCY, DEFAULT_RATE_LIMIT } from "./resolve-target.ts";
export type { PlannedCase, PreparedRun, RunCaseOptions, RunOptions } from "./run.ts";

/** Checks that consult the registry when the target names `trust.registry`. */
const REGISTRY_CHECKS: ReadonlySet<string> = new Set(["x5c-chains-to-trusted-root", "jwt-signer-registered"]);

export { SecretRegistry, secretFingerprint } from "./secrets.ts";

/** After a case's deadline, how long its own (richer) broken result may take to arrive before a bare one is used. */
const STOP_GRACE_MS = 1_000;

/** A target to run against, described as an external one is once its configuration is read. */
export interface DescribedTarget {
  readonly target: ResolvedTarget;
  /** Endpoints the configuration names itself (discovery does not replace them; a difference is a notice). */
  readonly configuredEndpoints: Readonly<Record<string, string>>;
  /** Notices about the configuration (e.g. key files others can read). */
  readonly notices?: readonly string[];
  /** Called when the run closes (the CLI stops a target it started). */
  close?(): Promise<void>;
  /** Told of every access token the target issues in the run (the local state file keeps the client's). */
  onTokenIssued?: ConstructorParameters<typeof AccessTokens>[6];
}

function loadAndPick(options: RunOptions): {
  file: ReturnType<typeof loadTargetsFile>;
  config: ExternalTargetConfig;
  suites: Suite[];
} {
  const file = loadTargetsFile(options.targetsFile);
  const config = pickTarget(file, options.targetName);
  const suites = loadSuites(options.suitesDir ?? SUITES_DIR);
  assertKnownSuites(suites, options.suites);
  if (config.kind === "builtin") {
    throw new ConfigError(
      "USAGE",
      `"${config.name}" is the built-in reference target: the CLI starts it (src/cli/builtin-target.ts prepareRun), the engine only runs described targets`,
    );
  }
  if ((options.faults?.length ?? 0) > 0) {
    throw new ConfigError(
      "USAGE",
      `--fault applies to the built-in reference target only; "${config.name}" is external`,
    );
  }
  assertKnownEndpointKeys(
    config.endpoints,
    knownEndpointKeys(suites, Object.values(FEATURE_ENDPOINTS)),
    `targets.${config.name}`,
    file.file,
  );
  return { file, config, suites };
}

/**
 * Validates everything a run against an external target needs without starting it (targets.yaml, suites, keys
 * and certificates), so the CLI can exit 2 before any test runs. Throws ConfigError.
 */
export async function checkRunOptions(
  options: RunOptions,
): Promise<{ targetName: string; caseCount: number; external: boolean }> {
  const { file, config, suites } = loadAndPick(options);
  await resolveExternalTarget(file, config);
  const cases = planCases(suites, config.roles, config.version, options);
  return { targetName: config.name, caseCount: cases.length, external: true };
}

/** Names of every target in a targets file, in file order (`run --all`). Throws ConfigError. */
export function targetNamesIn(targetsFile: string): string[] {
  return Object.keys(loadTargetsFile(targetsFile).targets);
}

/** Every case of every suite, for `list`. */
export function listCases(options: { suitesDir?: string; suites?: readonly string[] } = {}): PlannedCase[] {
  const suites = loadSuites(options.suitesDir ?? SUITES_DIR);
  assertKnownSuites(suites, options.suites);
  return planCases(suites, undefined, undefined, options);
}

function assertKnownSuites(suites: readonly Suite[], wanted: readonly string[] | undefined): void {
  if (!wanted) return;
  const known = suites.map((s) => s.suite);
  const unknown = wanted.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new ConfigError("USAGE", `unknown suite ${unknown.join(", ")} (known: ${known.join(", ")})`);
  }
}

/** Loads an external target's configuration and returns a run ready to execute cases. */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const { file, config } = loadAndPick(options);
  let target = await resolveExternalTarget(file, config);
  const notices = keyFileWarnings(keyFilesOf(config));
  // Tokens issued now serve a later run's "expired token" cases; one from an earlier run may serve this one.
  const state = new TokenState(tokenStateFile(file.file));
  const key = tokenKey(target.baseUrl, target.partyId, target.client.partyId);
  const client = target.client;
  const earlier =
    target.expiredToken === undefined ? state.expired(key, (options.now ?? Date.now)()) : undefined;
  if (earlier) {
    target = { ...target, expiredToken: earlier.token };
    notices.push(
      `the expired-token cases use an access token of an earlier run that expired at ${new Date(earlier.expiresAtMs).toISOString()} (from ${state.file})`,
    );
  }
  return prepareRunOn(options, {
    target,
    configuredEndpoints: config.endpoints,
    notices,
    onTokenIssued: (identity, token, expiresAtMs) => {
      if (identity === client) state.record(key, token, expiresAtMs);
    },
  });
}

/**
 * Returns a run against a described target, ready to execute cases: endpoints are discovered from its
 * capabilities, whoever described it (targets.yaml, or the CLI for the built-in reference target).
 */
export async function prepareRunOn(options: RunOptions, described: DescribedTarget): Promise<PreparedRun> {
  const now = options.now ?? Date.now;
  const deadline = new RunDeadline(
    options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
    options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS,
  );
  const suites = loadSuites(options.suitesDir ?? SUITES_DIR);
  assertKnownSuites(suites, options.suites);
  let target = described.target;
  const stopTarget = described.close ?? (async () => {});
  if (options.concurrency !== undefined) target = { ...target, concurrency: options.concurrency };
  target = withRunOverrides(target, options);
  const notices: string[] = [...(options.notices ?? [])];
  if (target.baseUrl.startsWith("http://")) {
    notices.push(
      `${target.baseUrl} is plain http: acceptable for local and test targets only (iSHARE requires TLS 1.2+)`,
    );
  }
  if (target.http.insecure) {
    const how = options.insecure ? "--insecure" : "http.insecure";
    notices.push(`TLS certificate verification is OFF (${how}): results prove nothing about TLS`);
  }
  if (options.showSecrets)
    notices.push("--show-secrets: bearer tokens and client assertions appear unredacted in this report");
  notices.push(...(described.notices ?? []));
  if (options.strict)
    notices.push("--strict: warnings (SHOULDs, tolerated variants) count as failures in this run");

  const secrets = new SecretRegistry(options.showSecrets ?? false);
  const http = new HttpClient(target.http, target.concurrency);
  if (http.proxy) notices.push(describeProxy(http.proxy));
  const limiter = new Limiter(target.concurrency);
  const mint = new CertificateMint(target.issuer, now, defectIdentities(target.identities));
  // Made before discovery (it reads the target's name, id and anchors, not its endpoints): with registry trust,
  // the capabilities_token's chain is judged by the registry's trusted list before anything is adopted from it.
  const registry = target.trustRegistry
    ? new RegistrySession(target, target.trustRegistry, http, limiter, mint, secrets, now)
    : undefined;
  // Discovery (and the registry trust it may need) is bounded (case timeout or 30 s, run deadline, interrupt):
  // a silent target cannot hold the run before its first case.
  const discovering = deadline.forDiscovery(options.signal, target.http.discoveryTimeoutMs);
  const chainTrust = registry
    ? async (chain: readonly X509Certificate[], at: Date) => {
        // Its failure is reported once, below, as the registry's notice.
        const trust = await registry.trust(discovering.signal).catch(() => undefined);
        return trust
          ? verifyChainOnTrustedList(chain, trust.trustedList, at)
          : { ok: false as const, message: "trust from the participant registry could not be established" };
      }
    : undefined;
  // Public features first (they name the token endpoint), then the restricted ones with a token.
  const configured = described.configuredEndpoints;
  const { anonymous, authenticated, tokens } = await (async () => {
    const anonymous = await discoverEndpoints(
      target,
      configured,
      http,
      limiter,
      undefined,
      now,
      chainTrust,
      discovering.signal,
    );
    if (anonymous.target.expiredToken !== undefined) secrets.add(anonymous.target.expiredToken);
    const tokens = new AccessTokens(
      anonymous.target,
      http,
      limiter,
      mint,
      secrets,
      now,
      described.onTokenIssued,
    );
    const authenticated = await discoverEndpoints(
      anonymous.target,
      configured,
      http,
      limiter,
      tokens,
      now,
      chainTrust,
      discovering.signal,
    );
    return { anonymous, authenticated, tokens };
  })().finally(() => discovering.dispose());
  target = authenticated.target;
  notices.push(...new Set([...anonymous.notices, ...authenticated.notices]));
  const oidc = new OidcSession();
  const env: CaseEnvironment = {
    oidc,
    target,
    http,
    limiter,
    mint,
    secrets,
    now,
    tokens,
    ...(registry ? { registry } : {}),
    ...(options.strict ? { strict: true } : {}),
  };
  const issuerTrust = new IssuerTrust(target, http, limiter, mint, secrets, now);
  const byId = new Map<string, { suite: Suite; c: SuiteCase }>();
  for (const loaded of suites) {
    const suite = applyFieldNames(loaded, target.version);
    for (const c of suite.cases) byId.set(c.id, { suite, c });
  }
  const cases = planCases(suites, target.roles, target.version, options);
  if (registry) {
    // Established now, once: a failure is one notice here, and the cases that need it are broken with it.
    const needed = cases.some(
      (planned) =>
        !planned.skipReason &&
        byId
          .get(planned.id)
          ?.c.steps.some((step) => step.expect.some((use) => REGISTRY_CHECKS.has(use.check))),
    );
    if (needed) {
      const establishing = deadline.forDiscovery(options.signal, target.http.discoveryTimeoutMs);
      await registry
        .trust(establishing.signal)
        .finally(() => establishing.dispose())
        .then(
          (trust) => {
            if (trust.selfTrusted) notices.push(selfTrustNotice(trust.registry, target.name));
          },
          (error: unknown) => {
            notices.push(
              `${(error as Error).message}: the cases that judge the target's JWTs are broken (trust from the registry could not be established)`,
            );
          },
        );
    }
  }

  const controlIds = new Set([...byId.values()].flatMap(({ c }) => (c.control ? [c.control] : [])));
  const plannedById = new Map(cases.map((planned) => [planned.id, planned]));
  const allPlanned = new Map(
    planCases(suites, undefined, target.version, {}).map((planned) => [planned.id, planned]),
  );
  const execute = async (planned: PlannedCase, signal: AbortSignal | undefined): Promise<CaseResult> => {
    const found = byId.get(planned.id);
    if (!found) throw new Error(`case ${planned.id} is not part of this run`);
    if (planned.skipReason) return bareResult(planned, "skipped", planned.skipReason, now);
    const late = deadline.passed();
    if (late) return bareResult(planned, "broken", late, now);
    const unknowable = needsIssuerTrust(found.c, target, mint) ? await issuerTrust.check() : undefined;
    if (unknowable !== undefined) return notJudgedResult(planned, { reason: unknowable }, now);
    const caseSignal = deadline.forCase(signal);
    try {
      return await Promise.race([
        executeCase(found.suite, found.c, env, caseSignal.signal),
        stoppedResult(planned, caseSignal.signal, now),
      ]);
    } finally {
      caseSignal.dispose();
    }
  };
  // A control runs once per run, whoever asks first: its own test or a negative that waits for it. A control
  // outside this run's filter (--grep, --suite) still runs, unrecorded, so that its negatives can be judged.
  const controlResults = new Map<string, Promise<CaseResult>>();
  const controlResult = (id: string, signal: AbortSignal | undefined): Promise<CaseResult> => {
    let result = controlResults.get(id);
    if (!result) {
      const planned = plannedById.get(id) ?? allPlanned.get(id);
      if (!planned) throw new Error(`control ${id} is not a case of the loaded suites`);
      result = execute(planned, signal);
      controlResults.set(id, result);
    }
    return result;
  };

  return {
    target,
    cases,
    // Notices quote what targets answered (advertised URLs, redirect Locations): redacted like the cases.
    notices: notices.map((notice) => secrets.redact(notice)),
    async runCase(planned: PlannedCase, runCaseOptions: RunCaseOptions = {}): Promise<CaseResult> {
      const found = byId.get(planned.id);
      if (!found) throw new Error(`case ${planned.id} is not part of this run`);
      if (planned.skipReason) return bareResult(planned, "skipped", planned.skipReason, now);
      const late = deadline.passed();
      if (late) return bareResult(planned, "broken", late, now);
      if (controlIds.has(planned.id)) return controlResult(planned.id, runCaseOptions.signal);
      const control = found.c.control;
      if (control !== undefined) {
        const controlOutcome = await controlResult(control, runCaseOptions.signal);
        // A control that does not apply here (another version, an identity not configured): neither does its
        // negative, which needs the same set-up.
        if (controlOutcome.status === "skipped") {
          return bareResult(
            planned,
            "skipped",
            `its positive control ${control} was skipped: ${controlOutcome.message}`,
            now,
          );
        }
        const reason = controlNotAccepted(controlOutcome);
        if (reason !== undefined) return notJudgedResult(planned, { control, reason }, now);
      }
      return execute(planned, runCaseOptions.signal);
    },
    async beforeCase(planned: PlannedCase, runCaseOptions: RunCaseOptions = {}): Promise<void> {
      const control = byId.get(planned.id)?.c.control;
      if (planned.skipReason || control === undefined || deadline.passed()) return;
      await controlResult(control, runCaseOptions.signal);
    },
    async close() {
      await oidc.close();
      await http.close();
      await stopTarget();
    },
  };
}

/**
 * The notice for a registry trusted on its own word: without trust.anchors, its trusted_list_token is accepted
 * because it chains to a CA on the list it carries itself.
 */
export function selfTrustNotice(registry: string, targetName: string): string {
  return (
    `the trusted list of ${registry} is trusted on its own word: its trusted_list_token chains to a CA on the ` +
    `list it carries, and no trust anchor pins it; set targets.${targetName}.trust.anchors to the registry's root`
  );
}

/** Does a step of `c` sign with a certificate minted from client.issuer (not a ready-made one)? */
function needsIssuerTrust(c: SuiteCase, target: ResolvedTarget, mint: CertificateMint): boolean {
  return c.steps.some((step) => {
    const identity = step.as === "client" ? target.client : target.identities[step.as];
    if (!identity) return false;
    return (step.assertion?.defects ?? []).some((defect) => mint.willMint(defect as never, identity));
  });
}

/**
 * Resolves with a broken result {@link STOP_GRACE_MS} after `signal` aborts, for a case stuck outside any
 * exchange; a case stuck in an exchange ends sooner, by itself, with its steps recorded.
 */
function stoppedResult(planned: PlannedCase, signal: AbortSignal, now: () => number): Promise<CaseResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    signal.addEventListener(
      "abort",
      () => {
        const timer = setTimeout(() => {
          const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
          resolve({
            ...bareResult(planned, "broken", `stopped: ${reason}`, now),
            durationMs: Math.round(performance.now() - started),
          });
        }, STOP_GRACE_MS);
        timer.unref();
      },
      { once: true },
    );
  });
}

/** The target with this run's command-line overrides (--insecure, --rate-limit). */
function withRunOverrides(target: ResolvedTarget, options: RunOptions): ResolvedTarget {
  if (!options.insecure && options.rateLimit === undefined) return target;
  const { requestsPerSecond: _previous, ...http } = target.http;
  const rate = options.rateLimit ?? target.http.requestsPerSecond ?? 0;
  return {
    ...target,
    http: {
      ...http,
      ...(options.insecure ? { insecure: true } : {}),
      ...(rate > 0 ? { requestsPerSecond: rate } : {}),
    },
  };
}

/** Runs every planned case with at most `concurrency` at once; results in plan order. For tests and the bench. */
export async function runAll(run: PreparedRun, concurrency = run.target.concurrency): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(run.cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < run.cases.length) {
      const index = next++;
      await run.beforeCase(run.cases[index]!);
      results[index] = await run.runCase(run.cases[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}
