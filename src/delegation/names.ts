/**
 * Version-dependent names of the delegation endpoint (spec digest §5.1-5.2, §12): where the previous steps and the
 * delegation path go and how they are spelled. 2.0 (portal text, CTT example): `previous_steps` at the root;
 * 2.1 (its OpenAPI): inside delegationRequest; 3.0 (OpenAPI commit 0118ad0, `delegationRequestBody`):
 * camelCase `previousSteps` / `delegationPath` at the root again, beside delegationRequest.
 */
import type { IshareVersion } from "../model/target.ts";

/** Where a request carries its previous steps and delegation path: beside delegationRequest, or inside it. */
export const PREVIOUS_STEPS_PLACEMENTS = ["root", "delegationRequest"] as const;
export type PreviousStepsPlacement = (typeof PREVIOUS_STEPS_PLACEMENTS)[number];

/** Where and how one iSHARE version spells the delegation members. */
export interface DelegationNames {
  /** Response member holding the signed evidence: `delegation_token` (2.x) or `delegationToken` (3.0). */
  readonly token: string;
  /** Request member holding forwarded assertions: `previous_steps` (2.x) or `previousSteps` (3.0). */
  readonly previousSteps: string;
  /** Request member holding the delegation path: `delegation_path` (2.x) or `delegationPath` (3.0). */
  readonly delegationPath: string;
  /** `root`: beside delegationRequest (2.0, 3.0); `delegationRequest`: inside it (2.1). */
  readonly placement: PreviousStepsPlacement;
}

/** The placement `version` documents (a target may be configured to use the other one). */
export function documentedPlacement(version: IshareVersion): PreviousStepsPlacement {
  return version === "2.1" ? "delegationRequest" : "root";
}

/** The delegation names of `version`; `placement` overrides where the previous steps go. */
export function delegationNames(
  version: IshareVersion,
  placement: PreviousStepsPlacement = documentedPlacement(version),
): DelegationNames {
  if (version === "3.0") {
    return {
      token: "delegationToken",
      previousSteps: "previousSteps",
      delegationPath: "delegationPath",
      placement,
    };
  }
  return {
    token: "delegation_token",
    previousSteps: "previous_steps",
    delegationPath: "delegation_path",
    placement,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A copy of the request body with `steps` as its previous steps, named for `version` and placed where it
 * documents them (or at `placement`). When the body has no delegationRequest object, they go to the root.
 */
export function withPreviousSteps(
  body: unknown,
  steps: readonly string[],
  version: IshareVersion,
  placement?: PreviousStepsPlacement,
): unknown {
  const names = delegationNames(version, placement);
  if (!isObject(body)) return body;
  const inner = body["delegationRequest"];
  if (names.placement === "delegationRequest" && isObject(inner)) {
    return { ...body, delegationRequest: { ...inner, [names.previousSteps]: [...steps] } };
  }
  return { ...body, [names.previousSteps]: [...steps] };
}

/** The previous steps of a request body where `version` (or `placement`) puts them (undefined when absent). */
export function previousStepsOf(
  body: unknown,
  version: IshareVersion,
  placement?: PreviousStepsPlacement,
): unknown {
  const names = delegationNames(version, placement);
  if (!isObject(body)) return undefined;
  const holder = names.placement === "root" ? body : body["delegationRequest"];
  return isObject(holder) ? holder[names.previousSteps] : undefined;
}
