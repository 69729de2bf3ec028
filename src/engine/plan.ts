/** Chooses the cases of a run: suites for the target's roles, --suite and --grep filters, version applicability. */
import type { Suite } from "../model/suite.ts";
import type { IshareVersion, Role } from "../model/target.ts";
import type { PlannedCase } from "./run.ts";

export interface PlanFilter {
  readonly suites?: readonly string[];
  readonly grep?: string;
}

/** Does `suite` apply to a target with `roles`? */
export function suiteApplies(suite: Suite, roles: readonly Role[]): boolean {
  return suite.roles === "any" || suite.roles.some((role) => roles.includes(role as Role));
}

/** Planned cases in suite order, then case order; version-inapplicable cases carry a skip reason. */
export function planCases(
  suites: readonly Suite[],
  roles: readonly Role[] | undefined,
  version: IshareVersion | undefined,
  filter: PlanFilter,
): PlannedCase[] {
  const grep = filter.grep?.toLowerCase();
  const planned: PlannedCase[] = [];
  for (const suite of suites) {
    if (filter.suites && !filter.suites.includes(suite.suite)) continue;
    if (roles && !suiteApplies(suite, roles)) continue;
    for (const c of suite.cases) {
      if (grep && !`${c.id} ${c.title}`.toLowerCase().includes(grep)) continue;
      const skipReason =
        version && c.versions && !c.versions.includes(version)
          ? `applies to iSHARE ${c.versions.join(", ")}; the target is configured as version ${version}`
          : undefined;
      planned.push({
        id: c.id,
        suite: suite.suite,
        title: c.title,
        feature: suite.feature,
        ref: c.ref,
        tags: c.tags,
        ...(skipReason ? { skipReason } : {}),
      });
    }
  }
  return planned;
}
