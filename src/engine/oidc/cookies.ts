/** A minimal cookie jar for one login flow: name=value pairs per origin, sent back to that origin only. */

/** Cookies of one flow. */
export class CookieJar {
  readonly #byOrigin = new Map<string, Map<string, string>>();

  /** Stores the cookies of a `set-cookie` header value (several joined with ", " by the HTTP client). */
  store(origin: string, setCookie: string | undefined): void {
    if (!setCookie) return;
    const jar = this.#byOrigin.get(origin) ?? new Map<string, string>();
    // Split joined headers at ", name=" (an Expires date holds ", " followed by a day number, not "name=").
    for (const cookie of setCookie.split(/,\s*(?=[^;,=\s]+=)/)) {
      const pair = cookie.split(";")[0]!.trim();
      const at = pair.indexOf("=");
      if (at <= 0) continue;
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    this.#byOrigin.set(origin, jar);
  }

  /** The `cookie` header for `origin`, or undefined when there are none. */
  header(origin: string): string | undefined {
    const jar = this.#byOrigin.get(origin);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}
