/**
 * The reference target's Identity Provider role (iSHARE H2M, OpenID Connect): its routes, its one test user
 * and the userinfo masks the harness sends. `server.ts` mounts the routes and hands authorization_code
 * token requests here.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DelegationMask } from "../../delegation/index.ts";
import type { ReferenceContext } from "../context.ts";
import {
  handleAuthorize,
  handleCallback,
  handleErrorPage,
  handleLogin,
  IDP_PATHS,
  type IdpEnvironment,
  LOGIN_FIELDS,
  type TestUser,
} from "./authorize.ts";
import { handleH2mToken, isAuthorizationCodeRequest } from "./h2m-token.ts";
import { Pseudonyms } from "./pseudonyms.ts";
import { IdentityProviderStore } from "./store.ts";
import { handleUserinfo, userinfoMasks } from "./userinfo.ts";

export { IDP_PATHS, LOGIN_FIELDS, type TestUser } from "./authorize.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => Promise<void>;

/** What the harness needs to test this IdP. */
export interface IdentityProviderInfo {
  readonly user: TestUser;
  readonly loginFields: typeof LOGIN_FIELDS;
  readonly userinfoMasks: { readonly permit: DelegationMask; readonly deny: DelegationMask };
}

/** A running IdP: routes to mount, and a wrapper that sends authorization_code token requests to it. */
export interface IdentityProvider {
  readonly info: IdentityProviderInfo;
  readonly routes: Readonly<Record<string, Handler>>;
  /** The token route: authorization_code goes to the H2M handler, everything else to `m2m`. */
  tokenRoute(m2m: Handler): Handler;
}

/** A fresh test user: a fixed name and a random password per start. */
export function newTestUser(): TestUser {
  return { username: "test.user", password: randomBytes(12).toString("base64url") };
}

/** Creates the IdP on `context` with `user` as its one account. */
export function createIdentityProvider(context: ReferenceContext, user: TestUser): IdentityProvider {
  const env: IdpEnvironment = { context, store: new IdentityProviderStore(), user };
  const pseudonyms = new Pseudonyms(context.self.partyId);
  return {
    info: { user, loginFields: LOGIN_FIELDS, userinfoMasks: userinfoMasks(context.self.partyId) },
    routes: {
      [IDP_PATHS.authorize]: async (req, res, _url, body) => handleAuthorize(req, res, body, env),
      [IDP_PATHS.login]: async (req, res, url, body) => handleLogin(req, res, url, body, env),
      [IDP_PATHS.callback]: async (req, res, url) => handleCallback(req, res, url, env),
      [IDP_PATHS.error]: async (_req, res, url) => handleErrorPage(res, url),
      [IDP_PATHS.userinfo]: (req, res, _url, body) => handleUserinfo(req, res, body, env),
    },
    tokenRoute: (m2m) => (req, res, url, body) =>
      isAuthorizationCodeRequest(body)
        ? handleH2mToken(req, res, body, env, pseudonyms)
        : m2m(req, res, url, body),
  };
}
