/**
 * Reading an IdP's HTML login page the way a browser would for a plain form: the <form> that holds the
 * password field, its action and method, and every named input with its value (hidden returnUrl, CSRF token).
 * No script runs; an SPA without such a form gets the test tool's POST /login instead (see flow.ts).
 */

/** A login form found on a page. */
export interface LoginForm {
  /** Absolute URL the form submits to. */
  readonly action: string;
  readonly method: "GET" | "POST";
  /** Named inputs with their values, in document order. */
  readonly inputs: ReadonlyArray<readonly [string, string]>;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  const value = match?.[1] ?? match?.[2] ?? match?.[3];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, code: string) => String.fromCharCode(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The form of `html` (found at `pageUrl`) that has an input named `passwordField`, if any. */
export function findLoginForm(html: string, pageUrl: string, passwordField: string): LoginForm | undefined {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const formTag = match[1] ?? "";
    const inner = match[2] ?? "";
    const inputs: Array<readonly [string, string]> = [];
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], "name");
      if (name !== undefined) inputs.push([name, attribute(input[0], "value") ?? ""]);
    }
    if (!inputs.some(([name]) => name === passwordField)) continue;
    let action: string;
    try {
      action = new URL(attribute(formTag, "action") ?? "", pageUrl).toString();
    } catch {
      continue;
    }
    const method = (attribute(formTag, "method") ?? "GET").toUpperCase() === "POST" ? "POST" : "GET";
    return { action, method, inputs };
  }
  return undefined;
}
