/**
 * A target's (or a registry's) `baseUrl`, checked the way it will be used: parsed with the WHATWG URL
 * parser (as undici parses it), an http(s) origin plus an optional path prefix and nothing else. Credentials,
 * a query or a fragment, a port outside 1-65535 or an empty host are refused at load time, each with the fix:
 * paths are appended to the base URL, so anything after the path would end up in the middle of every URL.
 */
import { ConfigError } from "../errors.ts";

/** `raw` as a base URL without trailing slashes. @throws ConfigError naming `file`, the key path `at` and the fix. */
export function checkBaseUrl(raw: string, at: string, file: string): string {
  const refuse = (problem: string, fix: string): never => {
    throw new ConfigError("CONFIG", `${file}: ${at}: ${JSON.stringify(raw)} ${problem}; ${fix}`);
  };
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? "";
  if (authority.includes("@")) {
    refuse(
      "carries credentials (user:password@)",
      "remove them: credentials in a URL end up in logs and reports, and iSHARE authenticates with client assertions",
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse(
      "is not a valid URL (host, or a port from 1 to 65535)",
      "write it like https://ar.example.com or http://127.0.0.1:8080",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") refuse("is not http(s)", "use https://…");
  if (url.hostname === "") refuse("has no host", "write it like https://ar.example.com");
  if (url.port === "0" || /:0+(?=[/?#]|$)/.test(authority)) {
    refuse("has port 0", "give the port the target listens on (1-65535), or none for the scheme's default");
  }
  if (url.search !== "" || url.hash !== "" || raw.includes("?") || raw.includes("#")) {
    refuse(
      "has a query or a fragment",
      "give only scheme, host, port and path prefix: endpoint paths are appended to it",
    );
  }
  return raw.replace(/\/+$/, "");
}
