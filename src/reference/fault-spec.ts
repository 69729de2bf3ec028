/** The shape of a reference-target fault. */
import type { IshareVersion } from "../model/target.ts";

/** What a fault breaks, where the rule is written, and which suite cases must then fail (or break). */
export interface FaultSpec {
  /** What the faulty target does wrong, in one sentence. */
  readonly description: string;
  /** Developers' note: where the broken rule is written (never shown to users; they see the cases' refs). */
  readonly rule: string;
  /** Case ids that fail when this fault is planted; every other case still passes (or breaks, see `breaks`). */
  readonly caughtBy: readonly string[];
  /**
   * Case ids that end broken (timeout, reset, TLS failure: the harness cannot judge) when this fault is
   * planted; `"all"`: every case that runs. Absent: none.
   */
  readonly breaks?: readonly string[] | "all";
  /**
   * Also breaks every case that needs an access token first (`{{token}}` in a step): the token endpoint is
   * what misbehaves. The proof derives those cases from the suites, so a new `{{token}}` case needs no edit here.
   */
  readonly breaksTokenCases?: boolean;
  /**
   * Where the caught cases differ by version (a case that version skips, another case that catches it there):
   * the cases that fail at that version, replacing `caughtBy` there. Absent for a version: `caughtBy`.
   */
  readonly caughtByVersion?: Partial<Record<IshareVersion, readonly string[]>>;
  /** Versions on which the fault is observable (absent: all). */
  readonly versions?: readonly IshareVersion[];
  /** Built-in target of targets.yaml the proof runs this fault on (absent: `reference`, or per `versions`). */
  readonly target?: string;
  /**
   * The cases' checks on this rule are warnings (a SHOULD or a tolerated variant): they fail, and so catch the
   * fault, only with `--strict`; the proof runs this fault strict.
   */
  readonly strict?: boolean;
  /** Text in the message of every failed or broken case: it names the behaviour (chaos faults). */
  readonly reason?: string;
}
