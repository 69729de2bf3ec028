/** The reference target's HTTP server: loopback listener, routing, body cap, 500s, clean shutdown. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { DelegationMask } from "../delegation/index.ts";
import type { PartyIdentity } from "../model/identity.ts";
import type { IshareVersion } from "../model/target.ts";
import type { TestPki } from "../pki/index.ts";
import { ACCESS_TOKEN_LIFETIME_S, AccessTokenStore } from "./access-tokens.ts";
import { handleCapabilitiesRequest, newFeatureIds } from "./capabilities-endpoint.ts";
import { CertificateCache } from "./certificate-cache.ts";
import { readCertificate } from "./certificate-judge.ts";
import { CANARY_PATHS, ENDPOINT_PATHS, type ReferenceContext, trustedListPath } from "./context.ts";
import { handleDelegationRequest } from "./delegation-endpoint.ts";
import {
  referenceAuthorisationRules,
  referenceMasks,
  referencePolicies,
  referencePolicyRequests,
} from "./delegation-policies.ts";
import { handleDelegationPolicyRequest } from "./delegation-policy-endpoint.ts";
import { type FaultName, FaultSet, isFaultName } from "./faults.ts";
import { MAX_REQUEST_BODY_BYTES, oauthError, readBody, sendJson } from "./http-io.ts";
import {
  createIdentityProvider,
  type IdentityProviderInfo,
  newTestUser,
  type TestUser,
} from "./oidc/index.ts";
import { handlePartiesRequest, handlePartyRequest } from "./parties-endpoint.ts";
import { handlePartyCreationRequest } from "./party-creation-endpoint.ts";
import { type ReferenceRegistry, registryFromPki } from "./registry-data.ts";
import {
  handleDataspacesRequest,
  handleFrameworksRequest,
  handleTrustedListRequest,
  handleVersionsRequest,
} from "./registry-endpoints.ts";
import { ReplayCache } from "./replay-cache.ts";
import type { ServerTls } from "./tls-certificates.ts";
import { handleTokenRequest } from "./token-endpoint.ts";

/** How to start a reference target. */
export interface ReferenceOptions {
  /** The test PKI: the target is `pki.parties.reference`, its registry and trusted list come from it. */
  readonly pki: TestPki;
  /** Faults to plant (default none: fully conformant). */
  readonly faults?: readonly FaultName[];
  /** iSHARE version whose rules the target follows (default "2.0"). */
  readonly version?: IshareVersion;
  /** Listen address (default 127.0.0.1). */
  readonly host?: string;
  /** Listen port (default 0: any free port). */
  readonly port?: number;
  /** Clock, epoch milliseconds (default Date.now). */
  readonly now?: () => number;
  /**
   * Who the target is and signs as (default `pki.parties.reference`). Tests pass a party of another PKI to
   * get a target whose chain its registry does not trust.
   */
  readonly signer?: PartyIdentity;
  /** Serve HTTPS with this certificate and key (see tls-certificates.ts); default plain HTTP. */
  readonly tls?: ServerTls;
  /** The Identity Provider's one test user (default: `test.user` with a random password). */
  readonly testUser?: TestUser;
}

/** A running reference target. */
export interface ReferenceTarget {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`), no trailing slash. */
  readonly baseUrl: string;
  readonly partyId: string;
  /** Endpoint key to path: `{ token: "/connect/token", capabilities: "/capabilities" }`. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** The target's participant registry (parties, registered certificates, trusted list). */
  readonly registry: ReferenceRegistry;
  /** The Permit and Deny masks of its test policy, for the harness's delegation cases (spec digest §5.5). */
  readonly delegationMasks: { readonly permit: DelegationMask; readonly deny: DelegationMask };
  /** Policy creation requests for `/delegationPolicy` (2.1+): one its rules allow, one they refuse. */
  readonly policyRequests: ReturnType<typeof referencePolicyRequests>;
  /** An access token it issued to the client that has already expired, for the 401 cases. */
  readonly expiredToken: string;
  /** Its Identity Provider role: the test user, login form fields, userinfo masks. */
  readonly identityProvider: IdentityProviderInfo;
  /** Stops listening and resolves once every connection is destroyed. */
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => Promise<void>;
/** Handles a path under a prefix; `rest` is the decoded remainder (one path segment). */
type PrefixHandler = (req: IncomingMessage, res: ServerResponse, rest: string) => Promise<void>;

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts a conformant (or deliberately faulty) iSHARE endpoint set on loopback: `POST /connect/token`,
 * `GET /capabilities`, `POST /delegation`, and the participant registry (`/parties`, `/parties/{id}`,
 * `/trusted_list`, `/versions`, `/dataspaces`). Every response is JSON with Cache-Control: no-store and
 * Pragma: no-cache.
 * @throws Error when a fault name is unknown (callers validate user input with `isFaultName` first).
 */
export async function startReferenceTarget(options: ReferenceOptions): Promise<ReferenceTarget> {
  for (const name of options.faults ?? []) {
    if (!isFaultName(name)) throw new Error(`unknown reference target fault ${JSON.stringify(name)}`);
  }
  const { pki } = options;
  const registry = registryFromPki(pki);
  const now = options.now ?? Date.now;
  const context: ReferenceContext = {
    self: options.signer ?? pki.parties.reference,
    version: options.version ?? "2.0",
    faults: new FaultSet(options.faults),
    now,
    registry,
    policies: referencePolicies(pki, now()),
    authorisationRules: referenceAuthorisationRules(pki),
    createdPolicies: [],
    tokens: new AccessTokenStore(),
    replay: new ReplayCache(),
    certificates: new CertificateCache(),
    certificateStore: [pki.issuing.certificate, pki.root.certificate].map((cert) =>
      readCertificate(new Uint8Array(cert.rawData)),
    ),
    baseUrl: "",
    ...(options.faults?.some((name) => name.startsWith("chaos."))
      ? { chaos: { issuing: pki.issuing, canaryHits: 0 } }
      : {}),
  };
  const featureIds = newFeatureIds();
  const idp = createIdentityProvider(context, options.testUser ?? newTestUser());
  const routes: Readonly<Record<string, Handler>> = {
    ...idp.routes,
    [ENDPOINT_PATHS.token]: idp.tokenRoute((req, res, url, body) =>
      handleTokenRequest(req, res, url, body, context),
    ),
    [ENDPOINT_PATHS.capabilities]: (req, res) => handleCapabilitiesRequest(req, res, context, featureIds),
    [ENDPOINT_PATHS.delegation]: (req, res, _url, body) => handleDelegationRequest(req, res, body, context),
    [ENDPOINT_PATHS.parties]: (req, res, url) => handlePartiesRequest(req, res, url, context),
    [trustedListPath(context.version)]: (req, res) => handleTrustedListRequest(req, res, context),
    // 3.0 lists frameworks (and their versions) at /frameworks in place of 2.x /versions.
    ...(context.version === "3.0"
      ? {
          [ENDPOINT_PATHS.frameworks]: (req: IncomingMessage, res: ServerResponse, url: URL) =>
            handleFrameworksRequest(req, res, url, context),
        }
      : { [ENDPOINT_PATHS.versions]: (req, res) => handleVersionsRequest(req, res, context) }),
    [ENDPOINT_PATHS.dataspaces]: (req, res, url) => handleDataspacesRequest(req, res, url, context),
    // 2.x only: 3.0 creates parties with POST /parties.
    ...(context.version === "3.0"
      ? {}
      : {
          [ENDPOINT_PATHS.partyCreation]: (
            req: IncomingMessage,
            res: ServerResponse,
            _url: URL,
            body: string,
          ) => handlePartyCreationRequest(req, res, body, context),
        }),
    // iSHARE 2.0 has no /delegationPolicy: there it is an unknown path (404).
    ...(context.version === "2.0"
      ? {}
      : {
          [ENDPOINT_PATHS.delegationPolicy]: (
            req: IncomingMessage,
            res: ServerResponse,
            _url: URL,
            body: string,
          ) => handleDelegationPolicyRequest(req, res, body, context),
        }),
    ...(context.chaos ? canaryRoutes(context.chaos) : {}),
  };
  /** Paths with a trailing parameter: `/parties/{id}`. */
  const prefixRoutes: ReadonlyArray<readonly [string, PrefixHandler]> = [
    [`${ENDPOINT_PATHS.parties}/`, (req, res, rest) => handlePartyRequest(req, res, rest, context)],
  ];
  // Issued a lifetime and a minute ago: expired from the start, still remembered as "expired", not "unknown".
  const expired = context.tokens.issue(
    pki.parties.client.partyId,
    now() - (ACCESS_TOKEN_LIFETIME_S + 60) * 1000,
  );

  const sockets = new Set<Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void serve(req, res, routes, prefixRoutes, context).catch(() => {
      if (!res.headersSent) sendJson(res, 500, oauthError("server_error", "the reference target failed"));
      else res.destroy();
    });
  };
  const server = options.tls
    ? createHttpsServer(
        { cert: options.tls.certificatePem, key: options.tls.key.export({ format: "pem", type: "pkcs8" }) },
        listener,
      )
    : createServer(listener);
  // Idle keep-alive connections are closed by the client, never by the server: with a server-side idle timeout,
  // a loaded machine lets the server's close and the client's reuse of the connection cross, and a request the
  // target never saw fails with ECONNRESET. The server still destroys every connection when it closes.
  server.keepAliveTimeout = 0;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const body = JSON.stringify(
      oauthError("invalid_request", tooLarge ? "request headers too large" : "malformed HTTP request"),
    );
    socket.end(
      `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\n` +
        "Content-Type: application/json\r\nCache-Control: no-store\r\nPragma: no-cache\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  context.baseUrl = `${options.tls ? "https" : "http"}://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    baseUrl: context.baseUrl,
    partyId: context.self.partyId,
    endpoints: Object.fromEntries(
      // The endpoints this version serves: /delegationPolicy from 2.1, /ep_creation and /versions on 2.x only,
      // /frameworks on 3.0, the trusted list at the version's path.
      Object.entries(ENDPOINT_PATHS)
        .filter(
          ([key]) =>
            key !== "trustedList30" &&
            (key !== "delegationPolicy" || context.version !== "2.0") &&
            (key !== "partyCreation" || context.version !== "3.0") &&
            (key !== "versions" || context.version !== "3.0") &&
            (key !== "frameworks" || context.version === "3.0"),
        )
        .map(([key, path]) => [key, key === "trustedList" ? trustedListPath(context.version) : path]),
    ),
    registry,
    delegationMasks: referenceMasks(pki),
    policyRequests: referencePolicyRequests(pki, now()),
    expiredToken: expired.accessToken,
    identityProvider: idp.info,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const socketsClosed = [...sockets].map(
          (socket) =>
            new Promise<void>((done) => (socket.destroyed ? done() : socket.once("close", () => done()))),
        );
        const serverClosed = new Promise<void>((done) => server.close(() => done()));
        for (const socket of sockets) socket.destroy();
        void Promise.all([serverClosed, ...socketsClosed]).then(() => resolve());
      });
      return closing;
    },
  };
}

/** The canary (it must never be visited: redirects and jku/x5u point there) and its visit counter. */
function canaryRoutes(chaos: NonNullable<ReferenceContext["chaos"]>): Record<string, Handler> {
  return {
    [CANARY_PATHS.canary]: async (_req, res) => {
      chaos.canaryHits++;
      sendJson(res, 200, { canary: "the harness followed a link it must not follow" });
    },
    [CANARY_PATHS.hits]: async (_req, res) => {
      sendJson(res, 200, { hits: chaos.canaryHits });
    },
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Readonly<Record<string, Handler>>,
  prefixRoutes: ReadonlyArray<readonly [string, PrefixHandler]>,
  context: ReferenceContext,
): Promise<void> {
  const url = new URL(req.url ?? "/", context.baseUrl || "http://localhost");
  const body = await readBody(req);
  if (!body.ok) {
    sendJson(
      res,
      413,
      oauthError(
        "invalid_request",
        `the request body has ${body.bytes} bytes, more than ${MAX_REQUEST_BODY_BYTES}`,
      ),
      { headers: { connection: "close" } },
    );
    return;
  }
  const handler = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
  if (!handler) {
    for (const [prefix, prefixed] of prefixRoutes) {
      const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : "";
      if (rest === "" || rest.includes("/")) continue;
      let decoded: string;
      try {
        decoded = decodeURIComponent(rest);
      } catch {
        sendJson(
          res,
          400,
          oauthError("invalid_request", `the path ${url.pathname} is not valid percent-encoding`),
        );
        return;
      }
      await prefixed(req, res, decoded);
      return;
    }
    sendJson(res, 404, { error: "not_found", error_description: `no endpoint at ${url.pathname}` });
    return;
  }
  await handler(req, res, url, body.text);
}
