/**
 * Chaos faults: hostile or broken behaviour at the socket, HTTP, body, JWT and TLS level, to prove that the
 * harness always finishes, gives each case an honest verdict with a reason, and leaks nothing. Unlike the
 * rule faults, they are about the harness's robustness, not one iSHARE rule.
 *
 * Where they apply, so that "the rest is unaffected" is observable:
 * - transport and body chaos: only the token endpoint's successful answers (the 200 with an access token);
 *   error answers stay conformant, so the negative token cases keep passing;
 * - JWT chaos: only the `capabilities_token` of GET /capabilities (the JWT the reference signs);
 * - TLS chaos: the whole listener (HTTPS with a bad server certificate): every case breaks.
 */
import type { FaultSpec } from "../fault-spec.ts";

/** The built-in target (targets.yaml) the proof runs chaos faults on: short timeouts keep the matrix fast. */
export const CHAOS_TARGET = "reference-chaos";

/**
 * The case that needs a 200 from the token endpoint: TOKEN-001, the positive control. TOKEN-041 (whose first
 * step needs one too) and every other token negative are then not judged, which the proof derives from it.
 */
const TOKEN_SUCCESS = ["TOKEN-001"];
/** Cases that judge the token response's body (TOKEN-041 checks only the status of its first answer). */
const TOKEN_BODY = ["TOKEN-001"];
/** Cases that judge the capabilities_token as a JWT (anonymous and with a token). */
const CAPABILITIES_TOKEN = ["CAP-001", "CAP-005"];
/** Cases that read the capabilities_token at all: a 5 MB token is not even decoded for capabilities_info. */
const CAPABILITIES_ANY = ["CAP-001", "CAP-002", "CAP-003", "CAP-004", "CAP-005"];

const chaos = (spec: Omit<FaultSpec, "rule" | "target">): FaultSpec => ({
  rule: "harness robustness (no iSHARE rule)",
  target: CHAOS_TARGET,
  ...spec,
});

/** Chaos faults, keyed by name (`chaos.<behaviour>`). */
export const CHAOS_FAULTS = {
  "chaos.never-answers": chaos({
    description: "Token endpoint: accepts the connection and the request, then never answers",
    caughtBy: [],
    breaks: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "no response headers within",
  }),
  "chaos.slow-headers": chaos({
    description: "Token endpoint: sends the response headers only after 30 s",
    caughtBy: [],
    breaks: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "no response headers within",
  }),
  "chaos.stalled-body": chaos({
    description: "Token endpoint: answers the headers and the first bytes of the body, then stalls",
    caughtBy: [],
    breaks: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "the response body stalled",
  }),
  "chaos.trickle": chaos({
    description: "Token endpoint: trickles the body one byte every 100 ms",
    caughtBy: [],
    breaks: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "did not finish within",
  }),
  "chaos.connection-reset": chaos({
    description: "Token endpoint: resets the TCP connection instead of answering",
    caughtBy: [],
    breaks: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "reset the connection",
  }),
  "chaos.closes-mid-body": chaos({
    description: "Token endpoint: announces a body, sends part of it and closes the connection",
    caughtBy: [],
    breaks: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "closed the connection mid-body",
  }),
  "chaos.html-500": chaos({
    description: "Token endpoint: answers HTTP 500 with an HTML error page",
    caughtBy: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "saw 500 text/html",
  }),
  "chaos.html-503": chaos({
    description: "Token endpoint: answers HTTP 503 with an HTML maintenance page",
    caughtBy: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "saw 503 text/html",
  }),
  "chaos.huge-body": chaos({
    description: "Token endpoint: answers a 200 MB body",
    caughtBy: TOKEN_BODY,
    breaksTokenCases: true,
    reason: "larger than the",
  }),
  "chaos.invalid-utf8": chaos({
    description: "Token endpoint: the JSON body holds bytes that are not UTF-8",
    caughtBy: TOKEN_BODY,
    breaksTokenCases: true,
    reason: "not valid UTF-8",
  }),
  "chaos.not-json": chaos({
    description: "Token endpoint: Content-Type application/json, but the body is form-encoded text",
    caughtBy: TOKEN_BODY,
    breaksTokenCases: true,
    reason: "not JSON",
  }),
  "chaos.deep-json": chaos({
    description: "Token endpoint: the JSON body nests 100,000 levels deep",
    caughtBy: TOKEN_BODY,
    breaksTokenCases: true,
    reason: "nested more than",
  }),
  "chaos.token-header-injection": chaos({
    description:
      "Token endpoint: the access token holds CR, LF and non-ASCII characters (it cannot be sent in a header)",
    caughtBy: TOKEN_BODY,
    breaksTokenCases: true,
    reason: "access_token: must match pattern",
  }),
  "chaos.interim-100": chaos({
    description:
      "Token endpoint: an unsolicited 100 Continue before the valid 200 (allowed: RFC 9110 §15.2), so nothing breaks",
    caughtBy: [],
  }),
  "chaos.interim-flood": chaos({
    description: "Token endpoint: a flood of 1xx interim responses and never a final one",
    caughtBy: [],
    breaks: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "interim (1xx) responses",
  }),
  "chaos.redirect-loop": chaos({
    description: "Token endpoint: answers 302 with a Location pointing back at itself",
    caughtBy: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "(a redirect to http://127.0.0.1:",
  }),
  "chaos.redirect-other-host": chaos({
    description: "Token endpoint: answers 307 with a Location on another host (a canary that counts visits)",
    caughtBy: TOKEN_SUCCESS,
    breaksTokenCases: true,
    reason: "(a redirect to http://localhost:",
  }),
  "chaos.jwt-alg-none": chaos({
    description: "Capabilities: the capabilities_token is an unsigned JWT with alg none",
    caughtBy: CAPABILITIES_TOKEN,
    reason: '"none"',
  }),
  "chaos.jwt-jku-x5u": chaos({
    description: "Capabilities: the capabilities_token header points jku and x5u at a canary URL",
    caughtBy: CAPABILITIES_TOKEN,
    reason: "jku, x5u",
  }),
  "chaos.jwt-1-bit-key": chaos({
    description: "Capabilities: x5c[0] of the capabilities_token holds a 1-bit RSA key",
    caughtBy: CAPABILITIES_TOKEN,
    reason: "the 1-bit RSA key of",
  }),
  "chaos.jwt-16384-bit-key": chaos({
    description:
      "Capabilities: x5c[0] of the capabilities_token holds a 16,384-bit RSA key (not the signer's)",
    caughtBy: CAPABILITIES_TOKEN,
    reason: "the 16384-bit RSA key of",
  }),
  "chaos.jwt-5mb": chaos({
    description: "Capabilities: the capabilities_token is a 5 MB JWT",
    caughtBy: CAPABILITIES_ANY,
    reason: "characters long",
  }),
  "chaos.jwt-deep-payload": chaos({
    description: "Capabilities: the capabilities_token's payload nests 200,000 levels deep",
    caughtBy: CAPABILITIES_ANY,
    reason: "nested more than 256 levels deep",
  }),
  "chaos.jwt-x5c-10000": chaos({
    description: "Capabilities: the capabilities_token's x5c has 10,000 entries",
    caughtBy: CAPABILITIES_TOKEN,
    reason: "x5c has 10000 entries",
  }),
  "chaos.tls-self-signed": chaos({
    description: "Serves HTTPS with a self-signed server certificate",
    caughtBy: [],
    breaks: "all",
    reason: "self-signed",
  }),
  "chaos.tls-expired": chaos({
    description: "Serves HTTPS with an expired server certificate (issued by the test CA)",
    caughtBy: [],
    breaks: "all",
    reason: "has expired",
  }),
  "chaos.tls-wrong-host": chaos({
    description: "Serves HTTPS with a certificate for another host name (issued by the test CA)",
    caughtBy: [],
    breaks: "all",
    reason: "not valid for this host name",
  }),
} as const satisfies Record<string, FaultSpec>;

/** Chaos fault names by where they act. */
export type ChaosName = keyof typeof CHAOS_FAULTS;
