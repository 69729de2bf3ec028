/** What the CLI hands to the conformance entry inside the vitest worker (via vitest's provide/inject). */
import type { RunOptions } from "../engine/run.ts";
import type { CaseResult } from "../model/result.ts";
import type { TargetContext } from "./run-context.ts";

/** Run options without the clock (functions cannot cross into the worker). */
export type EntryRunOptions = Omit<RunOptions, "now">;

export interface EntryConfig {
  /** Options of the run; `targetName` is the target when `targets` is absent. */
  readonly runOptions: EntryRunOptions;
  /** Several targets in one run (`--target a,b`, `--all`): each gets `runOptions` with its own name and limits. */
  readonly targets?: readonly string[];
  /** Absolute path of results.jsonl. */
  readonly resultsFile: string;
  /** Absolute path of run.json (targets, notices, planned case count). */
  readonly runInfoFile: string;
  /** Absolute path of the module exporting `prepareRun` (the engine; tests substitute a scripted one). */
  readonly engineModule: string;
  /** BroadcastChannel name on which the CLI announces an interrupt (see interrupt-channel.ts). */
  readonly interruptChannel?: string;
}

/** Key under which the config is provided. */
export const ENTRY_CONFIG_KEY = "ishareConformance";

/** run.json: facts about the prepared run that only the worker knows. */
export interface RunInfo {
  readonly targets: readonly TargetContext[];
  readonly plannedCases: number;
}

/** A line of results.jsonl: a case result and the target it ran against. */
export type TargetCaseResult = CaseResult & { readonly target: string };

/** The target names of an entry config, in run order. */
export const entryTargets = (config: Pick<EntryConfig, "runOptions" | "targets">): readonly string[] =>
  config.targets && config.targets.length > 0 ? config.targets : [config.runOptions.targetName];

declare module "vitest" {
  export interface ProvidedContext {
    ishareConformance: EntryConfig;
  }
}
