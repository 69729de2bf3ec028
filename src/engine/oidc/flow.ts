/**
 * The login flow of an OIDC case with the form driver: send the authorization request, then follow the
 * IdP's redirects one hop at a time (recording each), submit the login form when the login page appears,
 * and stop at the harness's return endpoint. Only the IdP's own origin is followed, plus the return
 * endpoint; a redirect anywhere else is recorded and not visited. Everywhere else the engine never
 * follows redirects; this flow does so on purpose, like the browser the iSHARE H2M flow assumes.
 */
import type { OutgoingRequest } from "../../http/client.ts";
import type { HttpResponse } from "../../http/response.ts";
import type { FlowHop, LoginFlowRecord, OidcLogin } from "../../model/oidc.ts";
import { CookieJar } from "./cookies.ts";
import { findLoginForm } from "./login-form.ts";
import type { ReturnEndpoint } from "./return-endpoint.ts";

/** Most hops a flow follows before it gives up (a redirect loop). */
export const MAX_HOPS = 12;

/** A PNG taken by the browser driver (login page, IdP error page). */
export interface FlowScreenshot {
  readonly name: string;
  readonly png: Buffer;
}

/** How a flow ended: the record the checks judge, the IdP's last answer, screenshots. */
export interface FlowOutcome extends LoginFlowRecord {
  /** The last answer of the IdP (the one the step's other checks judge). */
  readonly last: HttpResponse;
  readonly screenshots: readonly FlowScreenshot[];
}

/** What a flow needs. */
export interface FlowEnvironment {
  /** Sends one request to the IdP (limits, deadline and TLS settings of the run apply). */
  send(request: OutgoingRequest): Promise<HttpResponse>;
  readonly returnEndpoint: ReturnEndpoint;
  readonly login: OidcLogin;
  /** Absolute URL of the IdP's login endpoint (targets.yaml oidc.endpoints.login). */
  readonly loginUrl: string;
  /** A secret seen on the way (codes) is registered here so no report shows it. */
  addSecret(secret: string): void;
}

const isRedirect = (status: number): boolean => status >= 300 && status < 400;

function withCookies(request: OutgoingRequest, jar: CookieJar): OutgoingRequest {
  const origin = new URL(request.url).origin;
  const cookie = jar.header(origin);
  return cookie ? { ...request, headers: { ...request.headers, cookie } } : request;
}

/** Visits the return endpoint (a real request to our own loopback server) and reads its parameters. */
async function visitReturn(url: URL): Promise<FlowOutcome["returned"]> {
  const response = await fetch(url, { redirect: "manual" });
  await response.arrayBuffer();
  return { url: url.toString(), path: url.pathname, params: Object.fromEntries(url.searchParams) };
}

/** Runs the flow that starts with `first` (the POST to the authorize endpoint). */
export async function runFormFlow(first: OutgoingRequest, env: FlowEnvironment): Promise<FlowOutcome> {
  const idpOrigin = new URL(first.url).origin;
  const loginPath = new URL(env.loginUrl).pathname;
  const jar = new CookieJar();
  const hops: FlowHop[] = [];
  let request = first;
  let loginPage = false;
  let loggedIn = false;
  let last: HttpResponse | undefined;
  const done = (end: string, returned?: FlowOutcome["returned"]): FlowOutcome => ({
    hops,
    loginPage,
    loggedIn,
    ...(returned ? { returned } : {}),
    end,
    last: last!,
    screenshots: [],
  });

  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const response = await env.send(withCookies(request, jar));
    last = response;
    jar.store(new URL(request.url).origin, response.headers["set-cookie"]);
    const location = response.headers["location"];
    hops.push({
      method: request.method,
      url: request.url,
      status: response.status,
      ...(location ? { location } : {}),
    });
    if (isRedirect(response.status) && location) {
      let next: URL;
      try {
        next = new URL(location, request.url);
      } catch {
        return done(`the IdP redirected to ${JSON.stringify(location)}, which is not a URL`);
      }
      const code = next.searchParams.get("code");
      if (code) env.addSecret(code);
      if (env.returnEndpoint.owns(next)) {
        const returned = await visitReturn(next);
        hops.push({ method: "GET", url: next.toString(), note: "the harness's return endpoint" });
        return done(`reached the return endpoint ${next.pathname}`, returned);
      }
      if (next.origin !== idpOrigin) {
        hops.push({ method: "GET", url: next.toString(), note: "not followed: outside the IdP's origin" });
        return done(`the IdP redirected outside its origin, to ${next.origin} (not followed)`);
      }
      request = { method: "GET", url: next.toString(), headers: { accept: "text/html,application/json" } };
      continue;
    }
    if (loggedIn) {
      return done(
        `the IdP answered ${response.status} after the login instead of redirecting to the return endpoint`,
      );
    }
    const url = new URL(request.url);
    const form =
      response.status < 300
        ? findLoginForm(response.bodyText, request.url, env.login.fields.password)
        : undefined;
    if (form) {
      loginPage = true;
      loggedIn = true;
      const values = form.inputs.map(([name, value]): [string, string] => {
        if (name === env.login.fields.username) return [name, env.login.username];
        if (name === env.login.fields.password) return [name, env.login.password];
        return [name, value];
      });
      const encoded = new URLSearchParams(values).toString();
      request =
        form.method === "POST"
          ? {
              method: "POST",
              url: form.action,
              headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
              body: encoded,
            }
          : {
              method: "GET",
              url: `${form.action}${form.action.includes("?") ? "&" : "?"}${encoded}`,
              headers: {},
            };
      if (new URL(request.url).origin !== idpOrigin)
        return done(
          `the login form posts outside the IdP's origin, to ${new URL(request.url).origin} (not sent)`,
        );
      continue;
    }
    if (response.status < 300 && url.pathname === loginPath) {
      // A single-page login: the test tool's POST /login with the credentials, then on to returnUrl.
      loginPage = true;
      loggedIn = true;
      const returnUrl = url.searchParams.get("returnUrl");
      const posted = await env.send(
        withCookies(
          {
            method: "POST",
            url: env.loginUrl,
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              [env.login.fields.username]: env.login.username,
              [env.login.fields.password]: env.login.password,
              ...(returnUrl ? { returnUrl } : {}),
            }).toString(),
          },
          jar,
        ),
      );
      last = posted;
      jar.store(idpOrigin, posted.headers["set-cookie"]);
      hops.push({ method: "POST", url: env.loginUrl, status: posted.status });
      if (isRedirect(posted.status) && posted.headers["location"]) {
        request = {
          method: "GET",
          url: new URL(posted.headers["location"], env.loginUrl).toString(),
          headers: {},
        };
        continue;
      }
      if (posted.status === 200 && returnUrl) {
        request = { method: "GET", url: new URL(returnUrl, env.loginUrl).toString(), headers: {} };
        continue;
      }
      return done(`the login was refused (${posted.status})`);
    }
    return done(`the IdP answered ${response.status} and showed no login form (its error page?)`);
  }
  return done(`gave up after ${MAX_HOPS} hops (a redirect loop?)`);
}
