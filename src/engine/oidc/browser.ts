/**
 * The browser login driver: a real Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no
 * browser is ever downloaded) opens a page of the return endpoint that posts the authorization request to
 * the IdP, lets the IdP's redirects happen as they would for a person, fills the login form and waits for
 * the return endpoint. Requests outside the IdP's origin and the return endpoint are blocked and recorded.
 * Screenshots of the login page and of any IdP page where the flow stopped go into the report.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page, type Response } from "playwright-core";
import { NotApplicableError } from "../../errors.ts";
import type { HttpResponse } from "../../http/response.ts";
import type { FlowHop, OidcLogin } from "../../model/oidc.ts";
import type { FlowOutcome, FlowScreenshot } from "./flow.ts";
import type { ReturnEndpoint } from "./return-endpoint.ts";

/** Where Chromium is looked for (ISHARE_CHROMIUM overrides). */
export function chromiumPath(): string {
  return process.env["ISHARE_CHROMIUM"] ?? "/usr/bin/chromium";
}

/** How to install it on Debian / Ubuntu. */
export const CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium";

/** Flags for a headless Chromium that may run as root in CI and never phones home. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
] as const;

/** What a browser flow needs. */
export interface BrowserFlowEnvironment {
  readonly returnEndpoint: ReturnEndpoint;
  readonly login: OidcLogin;
  /** How long to wait for one page (ms). */
  readonly pageTimeoutMs: number;
  addSecret(secret: string): void;
  readonly signal?: AbortSignal;
}

/** A launched Chromium. */
export interface BrowserSession {
  /** Posts `form` to `authorizeUrl` in a fresh browser context and logs in. */
  runFlow(
    authorizeUrl: string,
    form: Readonly<Record<string, string>>,
    env: BrowserFlowEnvironment,
  ): Promise<FlowOutcome>;
  close(): Promise<void>;
}

/** Launches Chromium, or throws NotApplicableError naming the install command when it is missing. */
export async function launchBrowser(): Promise<BrowserSession> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new NotApplicableError(
      `needs Chromium at ${executablePath} for the browser login driver: install it with \`${CHROMIUM_INSTALL}\` ` +
        "(or set oidc.login.driver: form)",
    );
  }
  // launch() gives every browser a fresh temporary profile (--user-data-dir) of its own.
  const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  return {
    runFlow: (authorizeUrl, form, env) => browserFlow(browser, authorizeUrl, form, env),
    close: () => browser.close(),
  };
}

async function pageResponse(page: Page, response: Response | null, startedMs: number): Promise<HttpResponse> {
  const bodyText = await page.content().catch(() => "");
  return {
    url: page.url(),
    status: response?.status() ?? 0,
    headers: response ? await response.allHeaders().catch(() => ({})) : {},
    bodyText,
    bodyBytes: Buffer.byteLength(bodyText),
    truncated: false,
    durationMs: Math.round(performance.now() - startedMs),
  };
}

async function browserFlow(
  browser: Browser,
  authorizeUrl: string,
  form: Readonly<Record<string, string>>,
  env: BrowserFlowEnvironment,
): Promise<FlowOutcome> {
  const started = performance.now();
  const idpOrigin = new URL(authorizeUrl).origin;
  const context = await browser.newContext();
  const abort = (): void => void context.close().catch(() => undefined);
  env.signal?.addEventListener("abort", abort, { once: true });
  const hops: FlowHop[] = [];
  const screenshots: FlowScreenshot[] = [];
  let returned: FlowOutcome["returned"];
  let loginPage = false;
  let loggedIn = false;
  let lastResponse: Response | null = null;
  try {
    await context.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (url.origin === idpOrigin || env.returnEndpoint.owns(url)) return route.continue();
      hops.push({
        method: route.request().method(),
        url: url.toString(),
        note: "blocked: outside the IdP's origin",
      });
      return route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.setDefaultTimeout(env.pageTimeoutMs);
    page.on("response", (response) => {
      const request = response.request();
      if (!request.isNavigationRequest()) return;
      const location = response.headers()["location"];
      if (location) {
        const code = new URL(location, response.url()).searchParams.get("code");
        if (code) env.addSecret(code);
      }
      hops.push({
        method: request.method(),
        url: response.url(),
        status: response.status(),
        ...(location ? { location } : {}),
      });
      if (new URL(response.url()).origin === idpOrigin) lastResponse = response;
    });
    const atReturn = (url: URL): boolean =>
      env.returnEndpoint.owns(url) && !url.pathname.startsWith("/openid_connect1.0/start/");
    const password = `input[name="${env.login.fields.password}"]`;
    await page.goto(env.returnEndpoint.startPage(authorizeUrl, form));
    const first = await Promise.race([
      page.waitForURL(atReturn).then(() => "return" as const),
      page.waitForSelector(password).then(() => "login" as const),
    ]).catch(() => "stuck" as const);
    if (first === "login") {
      loginPage = true;
      screenshots.push({ name: "IdP login page", png: await page.screenshot({ fullPage: true }) });
      await page.fill(`input[name="${env.login.fields.username}"]`, env.login.username);
      await page.fill(password, env.login.password);
      loggedIn = true;
      await Promise.all([page.waitForURL(atReturn).catch(() => undefined), page.press(password, "Enter")]);
    }
    const url = new URL(page.url());
    if (atReturn(url)) {
      returned = { url: url.toString(), path: url.pathname, params: Object.fromEntries(url.searchParams) };
    } else {
      screenshots.push({
        name: loggedIn ? "IdP page after the login" : "IdP error page",
        png: await page.screenshot({ fullPage: true }),
      });
    }
    const last = await pageResponse(page, lastResponse, started);
    return {
      hops,
      loginPage,
      loggedIn,
      ...(returned ? { returned } : {}),
      end: returned
        ? `reached the return endpoint ${returned.path}`
        : `the browser stopped at ${url.origin}${url.pathname} (status ${last.status})`,
      last,
      screenshots,
    };
  } finally {
    env.signal?.removeEventListener("abort", abort);
    await context.close().catch(() => undefined);
  }
}
