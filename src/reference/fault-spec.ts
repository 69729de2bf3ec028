/** The shape of a reference-target fault. */
import type { IshareVersion } from "../model/target.ts";

/** What a fault breaks, where the rule is written, and which suite cases must then fail. */
export interface FaultSpec {
  /** What the faulty target does wrong, in one sentence. */
  readonly description: string;
  /** Section of the spec digest (../shared/spec/ishare.md) holding the broken rule. */
  readonly rule: string;
  /** Case ids that fail when this fault is planted; every other case still passes. */
  readonly caughtBy: readonly string[];
  /** Versions on which the fault is observable (absent: all). */
  readonly versions?: readonly IshareVersion[];
}
