/**
 * The run's context: what was tested (per target: name, base URL, iSHARE version, roles, planted faults,
 * notices) and by what (harness version, whether secrets were shown). Written by the vitest worker to
 * run.json, carried into summary.json, JUnit properties and the Allure report's overview.
 */

/** One target of a run, as the worker prepared it. */
export interface TargetContext {
  readonly name: string;
  readonly baseUrl: string;
  readonly partyId: string;
  readonly version: string;
  readonly roles: readonly string[];
  /** Faults planted in the built-in reference target (empty for external targets). */
  readonly faults: readonly string[];
  /** Warnings about this target's run (plain http, --insecure, endpoint differences, --show-secrets). */
  readonly notices: readonly string[];
  readonly plannedCases: number;
  /** The planned cases (junit.xml lists those that did not finish as skipped, never as passed). */
  readonly planned?: readonly PlannedCaseRef[];
}

/** A planned case as run.json names it. */
export interface PlannedCaseRef {
  readonly id: string;
  readonly suite: string;
  readonly title: string;
  /** `<rule title> — <url>`, as in summary.json. */
  readonly ref: string;
}

/** Whether bearer tokens and client assertions were redacted in every output. */
export type SecretsMarker = "redacted" | "shown (--show-secrets)";

export interface RunContext {
  readonly harness: { readonly name: "ishare-conformance"; readonly version: string };
  readonly secrets: SecretsMarker;
  readonly targets: readonly TargetContext[];
}

/** `a, b, c`: the targets of a run by name. */
export const targetNames = (context: Pick<RunContext, "targets">): string =>
  context.targets.map((target) => target.name).join(", ");

/** Every notice of the run, prefixed with its target's name when the run has several targets. */
export function runNotices(context: Pick<RunContext, "targets">): string[] {
  const several = context.targets.length > 1;
  return context.targets.flatMap((target) =>
    target.notices.map((notice) => (several ? `${target.name}: ${notice}` : notice)),
  );
}

/**
 * The context as ordered name/value pairs (for JUnit properties and the Allure overview); per-target keys
 * carry the target's name when there are several (`reference.baseUrl`).
 */
export function contextProperties(context: RunContext, only?: string): [string, string][] {
  const pairs: [string, string][] = [
    ["harness", `${context.harness.name} ${context.harness.version}`],
    ["secrets", context.secrets],
  ];
  const targets = only === undefined ? context.targets : context.targets.filter((t) => t.name === only);
  const prefix = (target: TargetContext): string => (targets.length > 1 ? `${target.name}.` : "");
  for (const target of targets) {
    const p = prefix(target);
    pairs.push([`${p}target`, target.name]);
    pairs.push([`${p}baseUrl`, target.baseUrl]);
    pairs.push([`${p}partyId`, target.partyId]);
    pairs.push([`${p}version`, target.version]);
    pairs.push([`${p}roles`, target.roles.join(", ")]);
    pairs.push([`${p}faults`, target.faults.length > 0 ? target.faults.join(", ") : "none"]);
    target.notices.forEach((notice, index) => {
      pairs.push([`${p}notice.${index + 1}`, notice]);
    });
  }
  return pairs;
}
