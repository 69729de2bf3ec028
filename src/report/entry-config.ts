/** What the CLI hands to the conformance entry inside the vitest worker (via vitest's provide/inject). */
import type { RunOptions } from "../engine/run.ts";

/** Run options without the clock (functions cannot cross into the worker). */
export type EntryRunOptions = Omit<RunOptions, "now">;

export interface EntryConfig {
  readonly runOptions: EntryRunOptions;
  /** Absolute path of results.jsonl. */
  readonly resultsFile: string;
  /** Absolute path of run.json (target name, notices, planned case count). */
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
  readonly target: string;
  readonly notices: readonly string[];
  readonly plannedCases: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    ishareConformance: EntryConfig;
  }
}
