/**
 * The reference Identity Provider's browser-facing endpoints (iSHARE IdP authorize and login pages):
 * `POST /connect/authorize` validates the request and redirects to the login page (or, when invalid, to its
 * own error page: never to the redirect_uri, which would make it an open redirector); `GET|POST /login`
 * shows and checks the login form; `GET /connect/authorize/callback` issues the code and redirects to the
 * redirect_uri of the request object with code and state.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { LOA_URNS } from "../../model/oidc.ts";
import type { ReferenceContext } from "../context.ts";
import { sendErrorPage, sendLoginPage } from "./pages.ts";
import { validateRequestObject } from "./request-object.ts";
import { CODE_LIFETIME_MS, type IdentityProviderStore } from "./store.ts";

/** Paths of the Identity Provider's endpoints on the reference target. */
export const IDP_PATHS = {
  authorize: "/connect/authorize",
  callback: "/connect/authorize/callback",
  login: "/login",
  error: "/error",
  userinfo: "/connect/userinfo",
} as const;

/** The one test user of the reference IdP, and the names of its login form's fields. */
export interface TestUser {
  readonly username: string;
  readonly password: string;
}

export const LOGIN_FIELDS = { username: "username", password: "password" } as const;
const SESSION_COOKIE = "idp_session";

/** What the handlers share. */
export interface IdpEnvironment {
  readonly context: ReferenceContext;
  readonly store: IdentityProviderStore;
  readonly user: TestUser;
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(302, { location, "cache-control": "no-store", pragma: "no-cache", ...headers });
  res.end();
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** A returnUrl is accepted only as our own callback path (the login form must not redirect elsewhere). */
function safeReturnUrl(value: string | null): string | undefined {
  return value?.startsWith(`${IDP_PATHS.callback}?`) ? value : undefined;
}

function scopeProblem(scope: string | undefined): string | undefined {
  const values = (scope ?? "").split(" ").filter((value) => value !== "");
  if (!values.includes("openid")) return `scope ${JSON.stringify(scope ?? "")} does not contain openid`;
  if (!values.includes("iSHARE")) return `scope ${JSON.stringify(scope ?? "")} does not contain iSHARE`;
  return undefined;
}

/** `POST /connect/authorize`. */
export function handleAuthorize(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  env: IdpEnvironment,
): void {
  const { context, store } = env;
  const { faults } = context;
  const invalid = (reason: string, readable?: Readonly<Record<string, unknown>>): void => {
    const redirectUri = readable?.["redirect_uri"];
    if (faults.has("oidc.redirects-invalid-request") && typeof redirectUri === "string") {
      const state = typeof readable?.["state"] === "string" ? (readable["state"] as string) : undefined;
      try {
        redirect(res, withQuery(redirectUri, { error: "invalid_request", error_description: reason, state }));
        return;
      } catch {
        // not a URL: fall through to the error page
      }
    }
    redirect(res, `${context.baseUrl}${IDP_PATHS.error}?reason=${encodeURIComponent(reason)}`);
  };
  if (req.method !== "POST") {
    invalid("the authorization request must be a POST");
    return;
  }
  if (mediaType(req) !== "application/x-www-form-urlencoded") {
    invalid("the authorization request must be application/x-www-form-urlencoded");
    return;
  }
  const form = new URLSearchParams(body);
  const outer = {
    response_type: form.get("response_type") ?? undefined,
    client_id: form.get("client_id") ?? undefined,
    scope: form.get("scope") ?? undefined,
  };
  if (outer.client_id === undefined) {
    invalid("client_id is missing");
    return;
  }
  if (!faults.has("oidc.accepts-scope-without-ishare")) {
    const problem = scopeProblem(outer.scope);
    if (problem) {
      invalid(problem);
      return;
    }
  }
  if (outer.response_type !== "code") {
    invalid(`response_type ${JSON.stringify(outer.response_type ?? "")} is not code`);
    return;
  }
  const request = form.get("request");
  let claims: Readonly<Record<string, unknown>>;
  if (request === null || request === "") {
    if (!faults.has("oidc.accepts-missing-request")) {
      invalid("the request object is missing");
      return;
    }
    claims = { ...outer, ...Object.fromEntries(form) };
  } else {
    const verdict = validateRequestObject(request, outer.client_id, context);
    if (!verdict.ok) {
      invalid(verdict.reason, verdict.readable);
      return;
    }
    claims = verdict.claims;
    if (!faults.has("oidc.ignores-outer-mismatch")) {
      for (const [name, value] of Object.entries(outer)) {
        if (claims[name] !== value) {
          invalid(`${name} ${JSON.stringify(value)} differs from the request object's`, claims);
          return;
        }
      }
    }
  }
  let redirectUri = claims["redirect_uri"];
  if (redirectUri === undefined && faults.has("oidc.uses-outer-redirect-uri"))
    redirectUri = form.get("redirect_uri") ?? undefined;
  if (typeof redirectUri !== "string" || !/^https?:\/\/\S+$/.test(redirectUri)) {
    invalid("the request object carries no absolute redirect_uri");
    return;
  }
  const state = claims["state"];
  if (typeof state !== "string" || state === "") {
    invalid("the request object carries no state", claims);
    return;
  }
  const nonce = typeof claims["nonce"] === "string" ? (claims["nonce"] as string) : undefined;
  const requested =
    typeof claims["acr_values"] === "string" ? (claims["acr_values"] as string).split(" ") : [];
  if (!requested.some((acr) => (LOA_URNS as readonly string[]).includes(acr))) {
    invalid("acr_values names none of the eIDAS levels of assurance", claims);
    return;
  }
  const id = store.addPending({
    clientId: outer.client_id,
    redirectUri,
    state,
    nonce,
    // A password login is the low level of assurance (iSHARE IdP login page: the test tool uses low).
    acr: LOA_URNS[0],
    expiresAt: context.now() + CODE_LIFETIME_MS,
  });
  const language =
    typeof claims["language"] === "string" ? `&lang=${encodeURIComponent(claims["language"] as string)}` : "";
  const returnUrl = `${IDP_PATHS.callback}?authzId=${id}`;
  redirect(res, `${context.baseUrl}${IDP_PATHS.login}?returnUrl=${encodeURIComponent(returnUrl)}${language}`);
}

/** `GET /login` (the page) and `POST /login` (the credentials). */
export function handleLogin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
  env: IdpEnvironment,
): void {
  const language = url.searchParams.get("lang") ?? undefined;
  if (req.method === "GET") {
    const returnUrl = safeReturnUrl(url.searchParams.get("returnUrl"));
    if (!returnUrl) {
      sendErrorPage(res, "the login page needs a returnUrl of this Identity Provider");
      return;
    }
    sendLoginPage(res, {
      action: IDP_PATHS.login,
      returnUrl,
      fields: LOGIN_FIELDS,
      ...(language ? { language } : {}),
    });
    return;
  }
  if (req.method !== "POST") {
    sendErrorPage(res, "use GET or POST");
    return;
  }
  const form = new URLSearchParams(body);
  const returnUrl = safeReturnUrl(form.get("returnUrl") ?? url.searchParams.get("returnUrl"));
  if (!returnUrl) {
    sendErrorPage(res, "the login form needs a returnUrl of this Identity Provider");
    return;
  }
  const username = form.get(LOGIN_FIELDS.username);
  const password = form.get(LOGIN_FIELDS.password);
  if (username !== env.user.username || password !== env.user.password) {
    sendLoginPage(res, {
      action: IDP_PATHS.login,
      returnUrl,
      fields: LOGIN_FIELDS,
      error: "Unknown user name or wrong password.",
    });
    return;
  }
  const session = env.store.newSession(username, Math.floor(env.context.now() / 1000));
  redirect(res, `${env.context.baseUrl}${returnUrl}`, {
    "set-cookie": `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`,
  });
}

/** `GET /connect/authorize/callback?authzId=…`: after the login, the code goes to the redirect_uri. */
export function handleCallback(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: IdpEnvironment,
): void {
  const { context, store } = env;
  const session = store.sessions.get(cookie(req, SESSION_COOKIE) ?? "");
  const id = url.searchParams.get("authzId") ?? "";
  if (!session) {
    const returnUrl = `${IDP_PATHS.callback}?authzId=${encodeURIComponent(id)}`;
    redirect(res, `${context.baseUrl}${IDP_PATHS.login}?returnUrl=${encodeURIComponent(returnUrl)}`);
    return;
  }
  const pending = store.pending.get(id);
  store.pending.delete(id);
  if (!pending || pending.expiresAt < context.now()) {
    sendErrorPage(res, "unknown or expired authorization request");
    return;
  }
  const code = store.issueCode({
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    nonce: pending.nonce,
    acr: pending.acr,
    username: session.username,
    authTime: session.authTime,
    expiresAt: context.now() + CODE_LIFETIME_MS,
  });
  const state = context.faults.has("oidc.drops-state") ? undefined : pending.state;
  redirect(res, withQuery(pending.redirectUri, { code, state }));
}

/** `GET /error`: the IdP's own error page. */
export function handleErrorPage(res: ServerResponse, url: URL): void {
  sendErrorPage(res, url.searchParams.get("reason") ?? "invalid request");
}
