/**
 * What the OIDC cases of one run share: the return endpoint (started on first use, stopped with the run)
 * and, for the browser driver, one Chromium (launched on first use, one fresh context per flow).
 */
import type { BrowserSession } from "./browser.ts";
import { ReturnEndpoint } from "./return-endpoint.ts";

/** The run's OIDC machinery. */
export class OidcSession {
  #returnEndpoint: Promise<ReturnEndpoint> | undefined;
  #browser: Promise<BrowserSession> | undefined;

  /** The return endpoint, started once. */
  returnEndpoint(): Promise<ReturnEndpoint> {
    this.#returnEndpoint ??= ReturnEndpoint.start();
    return this.#returnEndpoint;
  }

  /** The browser, launched once (rejects with NotApplicableError when Chromium is missing). */
  browser(launch: () => Promise<BrowserSession>): Promise<BrowserSession> {
    this.#browser ??= launch();
    return this.#browser;
  }

  async close(): Promise<void> {
    const endpoint = this.#returnEndpoint;
    const browser = this.#browser;
    await Promise.all([
      endpoint?.then((e) => e.close()).catch(() => undefined),
      browser?.then((b) => b.close()).catch(() => undefined),
    ]);
  }
}
