/**
 * The undici dispatcher of one target: its timeouts, TLS settings (extra CAs on top of the system roots,
 * optional client certificate for mutual TLS, verification on unless `insecure`) and, when the standard
 * HTTP_PROXY / HTTPS_PROXY variables are set, a proxy. Loopback hosts always bypass the proxy.
 */
import { rootCertificates } from "node:tls";
import { Agent, buildConnector, type Dispatcher, EnvHttpProxyAgent } from "undici";
import type { HttpOptions } from "../model/target.ts";
import { tolerateInterimResponses } from "./interim-responses.ts";

/** Hosts that never go through a proxy, whatever NO_PROXY says: the harness's own loopback servers. */
export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1", "[::1]"] as const;

/** The proxy settings taken from the environment (URLs without credentials, for notices). */
export interface ProxySettings {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  /** NO_PROXY as used, loopback hosts added. */
  readonly noProxy: string;
}

const envValue = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name.toLowerCase()] ?? env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
};

/** The proxy settings of `env`, or undefined when neither HTTP_PROXY nor HTTPS_PROXY is set. */
export function proxySettingsFrom(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const httpProxy = envValue(env, "HTTP_PROXY");
  const httpsProxy = envValue(env, "HTTPS_PROXY");
  if (httpProxy === undefined && httpsProxy === undefined) return undefined;
  const own = envValue(env, "NO_PROXY");
  const noProxy = [...(own ? own.split(/[,\s]+/).filter((e) => e !== "") : []), ...LOOPBACK_HOSTS].join(",");
  return {
    ...(httpProxy !== undefined ? { httpProxy } : {}),
    ...(httpsProxy !== undefined ? { httpsProxy } : {}),
    noProxy,
  };
}

/** A proxy URL with any user:password replaced, fit for a report. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== "" || parsed.password !== "") {
      parsed.username = "***";
      parsed.password = "";
    }
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(unparsable proxy URL)";
  }
}

/** One line saying which proxy the run uses, for the run's notices. */
export function describeProxy(proxy: ProxySettings): string {
  const parts = [
    proxy.httpProxy !== undefined ? `http:// via ${withoutCredentials(proxy.httpProxy)}` : "",
    proxy.httpsProxy !== undefined ? `https:// via ${withoutCredentials(proxy.httpsProxy)}` : "",
  ].filter((part) => part !== "");
  return `requests go through a proxy (${parts.join(", ")}; HTTP(S)_PROXY), except NO_PROXY hosts and loopback`;
}

/** TLS options for connections to the target. */
function tlsOptions(options: HttpOptions): Record<string, unknown> {
  return {
    rejectUnauthorized: !options.insecure,
    // `ca` replaces Node's root store, so the system roots are kept next to the extra CAs.
    ...(options.extraCaPem.length > 0 ? { ca: [...rootCertificates, ...options.extraCaPem] } : {}),
    ...(options.clientTls
      ? {
          cert: options.clientTls.certificatePem,
          // Exported only into the TLS context of this process; never logged.
          key: options.clientTls.key.export({ format: "pem", type: "pkcs8" }),
        }
      : {}),
  };
}

/** The dispatcher for a target, and the proxy it uses (if any). */
export function createDispatcher(
  options: HttpOptions,
  connections: number,
  env: NodeJS.ProcessEnv,
): { dispatcher: Dispatcher; proxy?: ProxySettings } {
  const tls = tlsOptions(options);
  const common = {
    connections,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  };
  const proxy = proxySettingsFrom(env);
  if (!proxy) {
    const connect = buildConnector({ timeout: options.connectTimeoutMs, ...tls });
    return {
      dispatcher: new Agent({
        ...common,
        // Every socket tolerates interim (1xx) responses, as RFC 9110 §15.2 requires of clients.
        connect: (connectOptions, callback) =>
          connect(connectOptions, (error, socket) => {
            if (socket) tolerateInterimResponses(socket);
            (callback as (error: Error | null, socket: unknown) => void)(error, socket);
          }),
      }),
    };
  }
  const dispatcher = new EnvHttpProxyAgent({
    ...common,
    connect: { timeout: options.connectTimeoutMs, ...tls },
    // Through a proxy, the target's TLS settings apply to the tunnelled connection.
    requestTls: { timeout: options.connectTimeoutMs, ...tls },
    // Explicit empty strings: undici must not fall back to the process environment.
    httpProxy: proxy.httpProxy ?? "",
    // Without HTTPS_PROXY, undici sends https:// through HTTP_PROXY too (curl's behaviour differs; documented).
    httpsProxy: proxy.httpsProxy ?? "",
    noProxy: proxy.noProxy,
  });
  return { dispatcher, proxy };
}
