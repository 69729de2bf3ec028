/** The shape of a reference-target fault. */
import type { IshareVersion } from "../model/target.ts";

/** What a fault breaks, where the rule is written, and which suite cases must then fail (or break). */
export interface FaultSpec {
  /** What the faulty target does wrong, in one sentence. */
  readonly description: string;
  /** Section of the spec digest (../shared/spec/ishare.md) holding the broken rule. */
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
  /** Versions on which the fault is observable (absent: all). */
  readonly versions?: readonly IshareVersion[];
  /** Built-in target of targets.yaml the proof runs this fault on (absent: `reference`, or per `versions`). */
  readonly target?: string;
  /** Text in the message of every failed or broken case: it names the behaviour (chaos faults). */
  readonly reason?: string;
}
