/** The slice of a CaseResult that travels from the vitest worker to reporters in the main process (task meta). */
import type { CaseResult, Outcome } from "../model/result.ts";
import { OUTCOMES } from "../model/result.ts";

/** Key under vitest's task meta. */
const META_KEY = "ishareConformance";

export interface CaseMeta {
  /** The target the case ran against (several targets in one run). */
  readonly target?: string;
  readonly id: string;
  readonly status: Outcome;
  readonly message: string;
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

/** Picks what reporters need from a result. */
export function caseMetaOf(result: CaseResult): CaseMeta {
  return {
    id: result.id,
    status: result.status,
    message: result.message,
    warnings: [...result.warnings],
    durationMs: result.durationMs,
  };
}

/** Stores `meta` on a vitest task's meta object (serialised to the main process with the task). */
export function writeCaseMeta(taskMeta: object, meta: CaseMeta): void {
  // vitest's TaskMeta is an empty interface meant for augmentation; we keep to one namespaced key instead.
  (taskMeta as Record<string, unknown>)[META_KEY] = meta;
}

/** Reads the meta written by {@link writeCaseMeta}, or undefined when absent or malformed. */
export function readCaseMeta(taskMeta: unknown): CaseMeta | undefined {
  if (typeof taskMeta !== "object" || taskMeta === null) return undefined;
  const value = (taskMeta as Record<string, unknown>)[META_KEY];
  if (typeof value !== "object" || value === null) return undefined;
  const meta = value as Record<string, unknown>;
  const status = meta["status"];
  if (
    typeof meta["id"] !== "string" ||
    typeof status !== "string" ||
    !(OUTCOMES as readonly string[]).includes(status) ||
    typeof meta["message"] !== "string" ||
    !Array.isArray(meta["warnings"]) ||
    typeof meta["durationMs"] !== "number"
  ) {
    return undefined;
  }
  return value as CaseMeta;
}
