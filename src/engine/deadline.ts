/**
 * The deadlines of a run: the whole run (`--timeout`) and each case (`--case-timeout`). A case gets one
 * AbortSignal that fires at whichever comes first, or when the caller aborts (interrupt); its reason is a
 * NetworkError saying which deadline passed, so the case ends broken with that reason.
 */
import { NetworkError } from "../errors.ts";

/** Default whole-run deadline: generous for a real target at a polite pace. */
export const DEFAULT_RUN_TIMEOUT_MS = 30 * 60_000;
/** Default per-case deadline: a few exchanges, each bounded by the HTTP timeouts. */
export const DEFAULT_CASE_TIMEOUT_MS = 2 * 60_000;

/**
 * Longest wait for endpoint discovery before the first case (or the case timeout, when shorter): discovery only
 * adopts advertised endpoints, so a silent capabilities or token endpoint costs the run this much, not more.
 */
export const DISCOVERY_TIMEOUT_MS = 30_000;

/** `90 s`, `2 min`, `1.5 s`, `400 ms`: a duration for messages. */
export function formatDeadline(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${ms / 60_000} min`;
}

/** A case's signal; dispose() clears its timer once the case is over. */
export interface CaseSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** The run's clock against its deadlines. */
export class RunDeadline {
  readonly #endsAt: number;

  constructor(
    readonly runTimeoutMs: number = DEFAULT_RUN_TIMEOUT_MS,
    readonly caseTimeoutMs: number = DEFAULT_CASE_TIMEOUT_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.#endsAt = clock() + runTimeoutMs;
  }

  /** Why no further case may start, or undefined while there is time left. */
  passed(): string | undefined {
    return this.clock() >= this.#endsAt
      ? `run deadline reached: the run took longer than ${formatDeadline(this.runTimeoutMs)} (--timeout); this case was not started`
      : undefined;
  }

  /** A signal that aborts at the case timeout, at the run deadline, or when `external` aborts. */
  forCase(external?: AbortSignal): CaseSignal {
    return this.#signal(
      this.caseTimeoutMs,
      `case timeout of ${formatDeadline(this.caseTimeoutMs)} reached (--case-timeout)`,
      external,
    );
  }

  /**
   * Like forCase, for the discovery before the first case, and never longer than `limitMs` (the target's
   * `http.discoveryTimeoutMs`, by default DISCOVERY_TIMEOUT_MS).
   */
  forDiscovery(external?: AbortSignal, limitMs: number = DISCOVERY_TIMEOUT_MS): CaseSignal {
    return this.caseTimeoutMs <= limitMs
      ? this.forCase(external)
      : this.#signal(
          limitMs,
          `discovery gave up after ${formatDeadline(limitMs)} (http.discoveryTimeoutMs; the case timeout, when shorter, bounds it)`,
          external,
        );
  }

  #signal(limitMs: number, limitReason: string, external: AbortSignal | undefined): CaseSignal {
    const controller = new AbortController();
    const left = this.#endsAt - this.clock();
    const reason =
      limitMs <= left
        ? new NetworkError("TIMEOUT", limitReason)
        : new NetworkError(
            "TIMEOUT",
            `run deadline reached: the run took longer than ${formatDeadline(this.runTimeoutMs)} (--timeout)`,
          );
    const timer = setTimeout(() => controller.abort(reason), Math.max(0, Math.min(limitMs, left)));
    const onExternal = (): void => controller.abort(new Error("the run was interrupted (Ctrl-C / SIGTERM)"));
    if (external?.aborted) onExternal();
    else external?.addEventListener("abort", onExternal, { once: true });
    return {
      signal: controller.signal,
      dispose() {
        clearTimeout(timer);
        external?.removeEventListener("abort", onExternal);
      },
    };
  }
}
