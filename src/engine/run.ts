/**
 * The engine's public face: prepare a run (config, suites, target, identities), then run cases one
 * at a time; the caller (the vitest entry, tests, the benchmark) decides concurrency and recording.
 */
import type { CaseResult, RuleRef } from "../model/result.ts";
import type { ResolvedTarget } from "../model/target.ts";

export interface RunOptions {
  /** Path of targets.yaml. */
  readonly targetsFile: string;
  /** Entry under `targets:`. */
  readonly targetName: string;
  /** Suite ids to run (default: every suite applicable to the target's roles). */
  readonly suites?: readonly string[];
  /** Only cases whose `id title` contains this text (case-insensitive). */
  readonly grep?: string;
  /** Faults to plant in the built-in reference target (added to those in targets.yaml). */
  readonly faults?: readonly string[];
  /** Do not redact bearer tokens and client assertions in recorded exchanges. */
  readonly showSecrets?: boolean;
  /** Cases and requests in flight at once (overrides the target's `concurrency`). */
  readonly concurrency?: number;
  /** Folder of the suites (default: the package's suites/). */
  readonly suitesDir?: string;
  /** Whole-run deadline (ms, default 30 min): cases not finished by then end broken "run deadline reached". */
  readonly timeoutMs?: number;
  /** Per-case deadline (ms, default 2 min): a case still running then ends broken. */
  readonly caseTimeoutMs?: number;
  /** Turn TLS certificate verification off for this run (`--insecure`; loudly reported). */
  readonly insecure?: boolean;
  /** Requests per second to the target for this run (`--rate-limit`; 0 = no limit), over targets.yaml. */
  readonly rateLimit?: number;
  /**
   * A test PKI folder (as `writeTestPki` writes it) for the built-in reference target, instead of generating
   * one: the CLI generates it while it starts up, so the key generation is off the run's critical path.
   */
  readonly pkiDir?: string;
  /** Notices from before the run (the pre-flight's warnings and target findings), recorded in the reports. */
  readonly notices?: readonly string[];
  /** `--strict`: warnings (SHOULDs, tolerated variants) count as failures, for certification-minded users. */
  readonly strict?: boolean;
  /** Clock in epoch milliseconds (tests freeze it). */
  readonly now?: () => number;
  /** The run's interrupt (Ctrl-C / SIGTERM): aborts the preparation (discovery) as it aborts every case. */
  readonly signal?: AbortSignal;
}

/** A case chosen for this run, before it runs. */
export interface PlannedCase {
  readonly id: string;
  readonly suite: string;
  readonly title: string;
  /** Endpoint key this case exercises (allure feature). */
  readonly feature: string;
  readonly ref: RuleRef;
  readonly tags: readonly string[];
  /** Set when the case does not apply to this target (it is reported skipped with this reason). */
  readonly skipReason?: string;
}

/** Per-case options of {@link PreparedRun.runCase}. */
export interface RunCaseOptions {
  /** Aborts the case (the run was interrupted); the case then ends broken and should not be recorded. */
  readonly signal?: AbortSignal;
}

export interface PreparedRun {
  readonly target: ResolvedTarget;
  readonly cases: readonly PlannedCase[];
  /** Warnings about the run itself (plain http, --insecure, --show-secrets, ...). */
  readonly notices: readonly string[];
  /** Faults planted in the built-in reference target (targets.yaml and --fault); empty for external targets. */
  readonly faults?: readonly string[];
  /**
   * Runs one case; never throws: harness trouble becomes a `broken` result. `options.signal` (an interrupt)
   * aborts the case's exchange under way.
   */
  runCase(planned: PlannedCase, options?: RunCaseOptions): Promise<CaseResult>;
  /**
   * Resolves once what the case waits for (its positive control's result) is in, running the control if no
   * one has yet. Call it before taking a concurrency slot for the case, so that negatives waiting for a slow
   * control do not hold the slots other cases need; `runCase` then finds the control's result at once.
   */
  beforeCase(planned: PlannedCase, options?: RunCaseOptions): Promise<void>;
  /** Stops the built-in reference target and closes connections. */
  close(): Promise<void>;
}
