/** The values behind `{{placeholders}}` while a step is rendered and checked. */
import { lookup } from "../checks/json-path.ts";
import { delegationNames } from "../delegation/index.ts";
import { decodeJws } from "../jwt/index.ts";
import type { PartyIdentity } from "../model/identity.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { earlierOidcVariable, type OidcStepState, ownOidcVariable } from "./oidc/step.ts";

/** What a finished step leaves for later steps (`{{steps.<id>.…}}`, `assertion.reuse`). */
export interface StepState {
  assertion?: string;
  status?: number;
  json?: unknown;
  /** An OIDC step's state, nonce, request object, code and flow. */
  oidc?: OidcStepState;
}

/** Values fixed for one run of one case (the same in every step). */
export interface CaseValues {
  /** Nine random digits (`{{case.unique}}`): an id no other case or run uses, e.g. of a party to create. */
  readonly unique: string;
}

/** What the lookup needs from the run. */
export interface VariableSource {
  readonly target: ResolvedTarget;
  readonly now: () => number;
}

/**
 * Resolves `client.id`, `target.id`, `target.baseUrl`, `identity.id`, `assertion`, `token`, `now`, `expiredToken`,
 * `delegation.tokenMember`, `case.unique`, `identities.<name>.id`, `steps.<id>.(assertion|status|json.<path>)` and
 * `steps.<id>.jwt.<member>.<path>` (a path into the payload of the JWT at body member `<member>`, decoded without
 * verification: it only addresses a later request, the checks judge the JWT); `undefined` for
 * anything else (the renderer then names the unknown placeholder).
 */
export function variableLookup(
  env: VariableSource,
  identity: PartyIdentity,
  own: StepState,
  token: string | undefined,
  state: Map<string, StepState>,
  caseValues?: CaseValues,
): (name: string) => string | undefined {
  const { target } = env;
  return (name) => {
    switch (name) {
      case "client.id":
        return target.client.partyId;
      case "target.id":
        return target.partyId;
      case "target.baseUrl":
        return target.baseUrl;
      case "identity.id":
        return identity.partyId;
      case "assertion":
        return own.assertion;
      case "token":
        return token;
      case "now":
        return String(Math.floor(env.now() / 1000));
      case "expiredToken":
        return target.expiredToken;
      case "delegation.tokenMember":
        return delegationNames(target.version).token;
      case "case.unique":
        return caseValues?.unique;
    }
    const fromOidc =
      ownOidcVariable(name, own.oidc) ??
      earlierOidcVariable(name, state.get(/^steps\.([a-zA-Z0-9_]+)\./.exec(name)?.[1] ?? ""));
    if (fromOidc !== undefined) return fromOidc;
    const identityMatch = /^identities\.([a-zA-Z0-9_]+)\.id$/.exec(name);
    if (identityMatch) return target.identities[identityMatch[1]!]?.partyId;
    const jwtMatch = /^steps\.([a-zA-Z0-9_]+)\.jwt\.([a-zA-Z0-9_]+)\.(.+)$/.exec(name);
    if (jwtMatch) {
      const token = lookup(state.get(jwtMatch[1]!)?.json, jwtMatch[2]!);
      if (!token.found || typeof token.value !== "string") return undefined;
      const decoded = decodeJws(token.value);
      if (!decoded.ok) return undefined;
      const found = lookup(decoded.payload, jwtMatch[3]!);
      if (!found.found) return undefined;
      return typeof found.value === "string" ? found.value : JSON.stringify(found.value);
    }
    const stepMatch = /^steps\.([a-zA-Z0-9_]+)\.(assertion|status|json\.(.+))$/.exec(name);
    if (stepMatch) {
      const earlier = state.get(stepMatch[1]!);
      if (!earlier) return undefined;
      if (stepMatch[2] === "assertion") return earlier.assertion;
      if (stepMatch[2] === "status") return earlier.status === undefined ? undefined : String(earlier.status);
      const found = lookup(earlier.json, stepMatch[3]!);
      if (!found.found) return undefined;
      return typeof found.value === "string" ? found.value : JSON.stringify(found.value);
    }
    return undefined;
  };
}
