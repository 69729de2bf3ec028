/** The endpoint keys the oidc suite's requests name, from a target's OIDC set-up. */
import type { OidcSetup } from "../../model/oidc.ts";

/** `authorize`, `oidcToken` and `userinfo` (the H2M token endpoint may differ from the M2M one). */
export function oidcEndpointKeys(oidc: OidcSetup): Record<string, string> {
  return {
    authorize: oidc.endpoints.authorize,
    oidcToken: oidc.endpoints.token,
    userinfo: oidc.endpoints.userinfo,
  };
}
