/** Named faults of the reference target: each breaks exactly one iSHARE rule, to prove a negative case. */
import type { IshareVersion } from "../model/target.ts";
import type { FaultSpec } from "./fault-spec.ts";
import { AUTHORIZATION_FAULTS } from "./faults/authorization.ts";
import { CAPABILITIES_FAULTS } from "./faults/capabilities.ts";
import { CHAOS_FAULTS } from "./faults/chaos.ts";
import { DELEGATION_FAULTS } from "./faults/delegation.ts";
import { DELEGATION_POLICY_FAULTS } from "./faults/delegation-policy.ts";
import { OIDC_FAULTS } from "./faults/oidc.ts";
import { REGISTRY_FAULTS } from "./faults/registry.ts";
import { TOKEN_FAULTS } from "./faults/token.ts";

export type { FaultSpec } from "./fault-spec.ts";

/**
 * Every fault the reference target can plant, keyed by name (`<endpoint>.<what it does wrong>`). One file per
 * endpoint family under faults/; add a family by spreading it here.
 */
export const FAULTS = {
  ...TOKEN_FAULTS,
  ...CAPABILITIES_FAULTS,
  ...REGISTRY_FAULTS,
  ...DELEGATION_FAULTS,
  ...DELEGATION_POLICY_FAULTS,
  ...AUTHORIZATION_FAULTS,
  ...OIDC_FAULTS,
  ...CHAOS_FAULTS,
} as const satisfies Record<string, FaultSpec>;

/** A fault's name, e.g. `token.accepts-expired-assertion`. */
export type FaultName = keyof typeof FAULTS;

/** True when `name` is a fault the reference target knows (the engine validates user input with it). */
export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/** Every fault name, in catalogue order. */
export function faultNames(): FaultName[] {
  return Object.keys(FAULTS) as FaultName[];
}

/** One line per fault, `name  description (caught by ...)`, for the CLI's `faults` command. */
export function describeFaults(): string {
  const names = faultNames();
  const width = Math.max(...names.map((name) => name.length));
  return names
    .map((name) => {
      const spec: FaultSpec = FAULTS[name];
      const versions = spec.versions ? `; versions ${spec.versions.join(", ")}` : "";
      return `${name.padEnd(width)}  ${spec.description} (${affectedCases(spec)}${versions})`;
    })
    .join("\n");
}

/** The cases that catch `spec` at `version`: its `caughtByVersion` entry for that version, else `caughtBy`. */
export function caughtByAt(spec: FaultSpec, version: IshareVersion): readonly string[] {
  return spec.caughtByVersion?.[version] ?? spec.caughtBy;
}

/** `caught by A, B; at 3.0 caught by D; breaks C` (or `breaks every case`), for listings. */
export function affectedCases(spec: Pick<FaultSpec, "caughtBy" | "caughtByVersion" | "breaks">): string {
  const parts: string[] = [];
  if (spec.caughtBy.length > 0) parts.push(`caught by ${spec.caughtBy.join(", ")}`);
  for (const [version, ids] of Object.entries(spec.caughtByVersion ?? {}))
    parts.push(ids.length > 0 ? `at ${version} caught by ${ids.join(", ")}` : `at ${version} caught by none`);
  if (spec.breaks === "all") parts.push("breaks every case");
  else if (spec.breaks && spec.breaks.length > 0) parts.push(`breaks ${spec.breaks.join(", ")}`);
  return parts.length > 0 ? parts.join("; ") : "no case of the shipped suites is affected";
}

/** The faults planted in one reference target: a read-only set with a typed `has`. */
export class FaultSet {
  readonly #names: ReadonlySet<FaultName>;

  constructor(names: readonly FaultName[] = []) {
    this.#names = new Set(names);
  }

  /** True when `name` is planted. */
  has(name: FaultName): boolean {
    return this.#names.has(name);
  }

  /** Planted faults, in catalogue order. */
  list(): FaultName[] {
    return faultNames().filter((name) => this.#names.has(name));
  }
}
