/** The reference Identity Provider's HTML: its login page and its own error page (never the SP's redirect_uri). */
import type { ServerResponse } from "node:http";
import { NO_STORE_HEADERS } from "../http-io.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendHtml(res: ServerResponse, status: number, title: string, body: string, lang = "en"): void {
  const html = `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}label{display:block;margin:.6rem 0}
input{display:block;width:100%;padding:.3rem}button{margin-top:1rem;padding:.4rem 1.2rem}.error{color:#a00}</style>
</head><body>${body}</body></html>`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    ...NO_STORE_HEADERS,
  });
  res.end(html);
}

const GREETING: Readonly<Record<string, string>> = { nl: "Inloggen", de: "Anmelden", en: "Log in" };

/** The login page: a form posting username and password (field names as configured) with the returnUrl. */
export function sendLoginPage(
  res: ServerResponse,
  options: {
    readonly action: string;
    readonly returnUrl: string;
    readonly fields: { readonly username: string; readonly password: string };
    readonly language?: string;
    readonly error?: string;
  },
): void {
  const lang = options.language && GREETING[options.language] ? options.language : "en";
  const title = `${GREETING[lang]} — iSHARE reference Identity Provider`;
  sendHtml(
    res,
    options.error ? 401 : 200,
    title,
    `<h1>${escapeHtml(GREETING[lang]!)}</h1>
<p>Reference Identity Provider of ishare-conformance (test user only).</p>
${options.error ? `<p class="error">${escapeHtml(options.error)}</p>` : ""}
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="returnUrl" value="${escapeHtml(options.returnUrl)}">
<label>User name<input name="${escapeHtml(options.fields.username)}" autocomplete="username"></label>
<label>Password<input type="password" name="${escapeHtml(options.fields.password)}" autocomplete="current-password"></label>
<button type="submit">${escapeHtml(GREETING[lang]!)}</button>
</form>`,
    lang,
  );
}

/** The IdP's own error page for an invalid authorization request. */
export function sendErrorPage(res: ServerResponse, reason: string): void {
  sendHtml(
    res,
    400,
    "Invalid request — iSHARE reference Identity Provider",
    `<h1>Invalid authorization request</h1><p class="error" id="reason">${escapeHtml(reason)}</p>`,
  );
}
