/**
 * Version-dependent names of the delegation endpoint (spec digest §5.1-5.2, §12): where `previous_steps` go
 * (root level in 2.0, inside delegationRequest from 2.1) and the camelCase names of 3.0.
 */
import type { IshareVersion } from "../model/target.ts";

/** Where and how one iSHARE version spells the delegation members. */
export interface DelegationNames {
  /** Response member holding the signed evidence: `delegation_token` (2.x) or `delegationToken` (3.0). */
  readonly token: string;
  /** Request member holding forwarded assertions: `previous_steps` (2.x) or `previousSteps` (3.0). */
  readonly previousSteps: string;
  /** Request member holding the delegation path: `delegation_path` (2.x) or `delegationPath` (3.0). */
  readonly delegationPath: string;
  /** `root`: beside delegationRequest (2.0); `delegationRequest`: inside it (2.1, 3.0). */
  readonly placement: "root" | "delegationRequest";
}

/** The delegation names of `version`. */
export function delegationNames(version: IshareVersion): DelegationNames {
  if (version === "3.0") {
    return {
      token: "delegationToken",
      previousSteps: "previousSteps",
      delegationPath: "delegationPath",
      placement: "delegationRequest",
    };
  }
  return {
    token: "delegation_token",
    previousSteps: "previous_steps",
    delegationPath: "delegation_path",
    placement: version === "2.0" ? "root" : "delegationRequest",
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A copy of the request body with `steps` as its previous steps, placed and named for `version`. When the
 * body has no delegationRequest object and the version places them inside it, they go to the root instead.
 */
export function withPreviousSteps(body: unknown, steps: readonly string[], version: IshareVersion): unknown {
  const names = delegationNames(version);
  if (!isObject(body)) return body;
  const inner = body["delegationRequest"];
  if (names.placement === "delegationRequest" && isObject(inner)) {
    return { ...body, delegationRequest: { ...inner, [names.previousSteps]: [...steps] } };
  }
  return { ...body, [names.previousSteps]: [...steps] };
}

/** The previous steps of a request body where `version` puts them (undefined when absent). */
export function previousStepsOf(body: unknown, version: IshareVersion): unknown {
  const names = delegationNames(version);
  if (!isObject(body)) return undefined;
  const holder = names.placement === "root" ? body : body["delegationRequest"];
  return isObject(holder) ? holder[names.previousSteps] : undefined;
}
