/**
 * The client assertion checks of the token endpoint (spec digest §2.2-2.6, §3.3, §8), one small named
 * step each, in order. A step lists the faults that disable or bend it; no fault touches another step.
 */
import { createHmac, createPublicKey, type JsonWebKey, type KeyObject, timingSafeEqual } from "node:crypto";
import {
  type Certificate,
  type ChainLeniency,
  judgeChain,
  MAX_X5C,
  selfSigned,
  signerProblems,
} from "./certificate-judge.ts";
import { completeFromStore, orderSignerFirst } from "./chain-building.ts";
import type { ParsedJws } from "./compact-jws.ts";
import { CLOCK_SKEW_S, type ReferenceContext } from "./context.ts";
import type { FaultName, FaultSet } from "./faults.ts";
import { signatureValid } from "./jws-signature.ts";
import { ReferenceRegistry, type RegisteredParty } from "./registry-data.ts";

/** Header members an iSHARE JWT may carry (spec digest §2.2). */
export const ALLOWED_HEADER_MEMBERS: readonly string[] = ["alg", "typ", "x5c"];

/** Required lifetime of a client assertion: exp - iat (seconds, spec digest §2.3). */
export const ASSERTION_LIFETIME_S = 30;

/** Time claims at or above this are taken to be milliseconds (10^11 s is in the year 5138). */
export const MILLISECOND_THRESHOLD = 1e11;

/** What the steps learn about one assertion as they go. */
export interface AssertionState {
  readonly jws: ParsedJws;
  /** The client id of the request (the form's, or the assertion's iss under `token.client-id-optional`). */
  readonly clientId: string;
  /** Request time, epoch seconds (fractional). */
  readonly nowS: number;
  /** Certificates decoded from `x5c` (or the registered chain under `token.accepts-missing-x5c`). */
  x5c?: Certificate[];
  /** The chain as verified, signer first; its first certificate is the signer. */
  chain?: Certificate[];
  /** The registry record of iss (absent only under `token.accepts-unregistered-party`). */
  party?: RegisteredParty;
  /** iat, exp and nbf in seconds, once read. */
  times: { iat?: number; exp?: number; nbf?: number };
}

/** What the steps may consult. */
export interface AssertionEnvironment {
  readonly context: ReferenceContext;
  /** JWS algorithms this server accepts (version rules, bent by faults). */
  readonly algorithms: ReadonlySet<string>;
}

/** One check of a client assertion; returns why the assertion is rejected, or undefined. */
export interface AssertionStep {
  readonly name: string;
  readonly rule: string;
  /** Faults that disable or bend this step. */
  readonly bentBy: readonly FaultName[];
  run(state: AssertionState, env: AssertionEnvironment): string | undefined | Promise<string | undefined>;
}

/**
 * JWS algorithms the server accepts: RS256 on 2.0, RS256/RS384/RS512 on 2.1 and 3.0 (spec digest §2.2,
 * §12), changed by the alg faults.
 */
export function acceptedAlgorithms(version: string, faults: FaultSet): Set<string> {
  const algorithms = new Set(version === "2.0" ? ["RS256"] : ["RS256", "RS384", "RS512"]);
  if (faults.has("token.accepts-any-rsa-alg")) {
    algorithms.add("RS384");
    algorithms.add("RS512");
  }
  if (faults.has("token.rejects-rs512")) algorithms.delete("RS512");
  if (faults.has("token.accepts-alg-none")) algorithms.add("none");
  if (faults.has("token.accepts-hs256")) algorithms.add("HS256");
  if (faults.has("token.accepts-ps256")) algorithms.add("PS256");
  if (faults.has("token.accepts-ec-keys")) algorithms.add("ES256");
  return algorithms;
}

/** "None", "NONE", ...: alg none in another spelling (RFC 7515 §4.1.1: alg values are case-sensitive). */
function isOddlySpelledNone(alg: string): boolean {
  return alg !== "none" && alg.toLowerCase() === "none";
}

function describe(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

function publicKeyOf(cert: Certificate): KeyObject {
  return cert.node.publicKey;
}

/** PEM text of a DER certificate, 64 columns, as a confused server would hold it. */
function certificatePem(cert: Certificate): string {
  const lines = cert.der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** Secrets a key-confused server would use for HS256: the signer's public key as PEM text, in common forms. */
function confusedHmacSecrets(cert: Certificate): string[] {
  const key = publicKeyOf(cert);
  const spki = key.export({ format: "pem", type: "spki" }).toString();
  const pkcs1 = key.export({ format: "pem", type: "pkcs1" }).toString();
  const pem = certificatePem(cert);
  return [spki, spki.trimEnd(), pkcs1, pkcs1.trimEnd(), pem, pem.trimEnd()];
}

function hmacMatches(signingInput: string, signature: Buffer, secrets: readonly string[]): boolean {
  return secrets.some((secret) => {
    const expected = createHmac("sha256", secret).update(signingInput).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  });
}

/** The key of a `jwk` header member, as a server that trusts it would import it; undefined when unreadable. */
function headerKey(jwk: object): KeyObject | undefined {
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
  } catch {
    return undefined;
  }
}

/** The chain checks the planted faults bend. */
function chainLeniency(faults: FaultSet): ChainLeniency {
  return {
    ignoreValidity: faults.has("token.ignores-certificate-validity"),
    leafValidityOnly: faults.has("token.checks-leaf-validity-only"),
    skipLastLink: faults.has("token.skips-last-chain-link"),
    linkByName: faults.has("token.links-chain-by-name"),
    stopAtTrusted: faults.has("token.ignores-extra-certificates"),
  };
}

/** The steps, in the order the token endpoint runs them. */
export const ASSERTION_STEPS: readonly AssertionStep[] = [
  {
    name: "header has only alg, typ, x5c",
    rule: "§2.2",
    bentBy: ["token.allows-extra-header-members", "token.verifies-with-header-jwk"],
    run({ jws }, { context }) {
      if (context.faults.has("token.allows-extra-header-members")) return undefined;
      const allowed = context.faults.has("token.verifies-with-header-jwk")
        ? [...ALLOWED_HEADER_MEMBERS, "jwk"]
        : ALLOWED_HEADER_MEMBERS;
      const extra = Object.keys(jws.header).filter((member) => !allowed.includes(member));
      return extra.length > 0
        ? `header members ${extra.join(", ")} are not allowed (only alg, typ, x5c)`
        : undefined;
    },
  },
  {
    name: "typ is JWT",
    rule: "§2.2",
    bentBy: ["token.ignores-typ"],
    run({ jws }, { context }) {
      if (context.faults.has("token.ignores-typ")) return undefined;
      const typ = jws.header["typ"];
      return typeof typ === "string" && typ.toUpperCase() === "JWT"
        ? undefined
        : `typ is ${describe(typ)}, not "JWT"`;
    },
  },
  {
    name: "alg is allowed",
    rule: "§2.2, §12",
    bentBy: [
      "token.rejects-rs512",
      "token.accepts-any-rsa-alg",
      "token.accepts-alg-none",
      "token.accepts-hs256",
      "token.accepts-ps256",
      "token.accepts-ec-keys",
      "token.alg-none-case-insensitive",
    ],
    run({ jws }, { context, algorithms }) {
      const alg = jws.header["alg"];
      if (typeof alg === "string" && algorithms.has(alg)) return undefined;
      // A blocklist that spells "none" one way, and a verifier that reads alg case-insensitively.
      if (
        typeof alg === "string" &&
        isOddlySpelledNone(alg) &&
        context.faults.has("token.alg-none-case-insensitive")
      )
        return undefined;
      return `alg ${describe(alg)} is not allowed on version ${context.version} (allowed: ${[...algorithms].join(", ")})`;
    },
  },
  {
    name: "x5c is a non-empty array of base64 DER certificates",
    rule: "§2.2",
    bentBy: ["token.accepts-missing-x5c"],
    run(state, { context }) {
      const x5c = state.jws.header["x5c"];
      if (x5c === undefined || (Array.isArray(x5c) && x5c.length === 0)) {
        const iss = state.jws.payload["iss"];
        const registered = typeof iss === "string" ? context.registry.party(iss)?.certificates[0] : undefined;
        if (context.faults.has("token.accepts-missing-x5c") && registered) {
          state.x5c = registered.chain.map((cert) => context.certificates.fromDer(cert.rawData));
          return undefined;
        }
        return x5c === undefined ? "x5c is missing" : "x5c is empty";
      }
      if (!Array.isArray(x5c)) return "x5c is not an array";
      if (x5c.length > MAX_X5C) return `x5c has ${x5c.length} entries, more than ${MAX_X5C}`;
      const certs: Certificate[] = [];
      for (const [index, entry] of x5c.entries()) {
        if (typeof entry !== "string") return `x5c[${index}] is not a string`;
        try {
          certs.push(context.certificates.decode(entry));
        } catch (error) {
          return `x5c[${index}]: ${(error as Error).message}`;
        }
      }
      state.x5c = certs;
      return undefined;
    },
  },
  {
    name: "x5c chain leads to a trusted CA and is valid now",
    rule: "§2.2, §3.3, §8",
    bentBy: [
      "token.accepts-any-chain-order",
      "token.completes-chain-from-store",
      "token.skips-trust-anchor-check",
      "token.ignores-certificate-validity",
      "token.checks-leaf-validity-only",
      "token.skips-last-chain-link",
      "token.links-chain-by-name",
      "token.ignores-extra-certificates",
    ],
    run(state, { context }) {
      const { faults } = context;
      let chain = [...(state.x5c ?? [])];
      if (faults.has("token.accepts-any-chain-order")) chain = orderSignerFirst(chain);
      if (faults.has("token.completes-chain-from-store"))
        chain = completeFromStore(chain, context.certificateStore);
      const anchors = context.registry.trustAnchors();
      const last = chain[chain.length - 1];
      if (faults.has("token.skips-trust-anchor-check") && last && selfSigned(last)) anchors.push(last);
      const verdict = judgeChain(chain, anchors, state.nowS * 1000, {
        rootRequired: context.version !== "2.0",
        leniency: chainLeniency(faults),
      });
      if (!verdict.ok) return `x5c chain rejected (${verdict.problem}): ${verdict.message}`;
      state.chain = chain;
      return undefined;
    },
  },
  {
    name: "signer key is RSA of at least 2048 bits",
    rule: "§2.6, §8",
    bentBy: [
      "token.accepts-small-keys",
      "token.accepts-ca-signer",
      "token.ignores-key-usage",
      "token.accepts-ec-keys",
    ],
    run(state, { context }) {
      const { faults } = context;
      const problems = signerProblems(state.chain![0]!, {
        allowSmallKeys: faults.has("token.accepts-small-keys"),
        allowCa: faults.has("token.accepts-ca-signer"),
        ignoreKeyUsage: faults.has("token.ignores-key-usage"),
        allowEc: faults.has("token.accepts-ec-keys"),
      });
      return problems.length > 0 ? `signer certificate: ${problems.join("; ")}` : undefined;
    },
  },
  {
    name: "signature verifies with the x5c[0] key",
    rule: "§2.6",
    bentBy: [
      "token.skips-signature-check",
      "token.verifies-with-header-jwk",
      "token.alg-none-case-insensitive",
    ],
    run(state, { context, algorithms }) {
      if (context.faults.has("token.skips-signature-check")) return undefined;
      const { jws } = state;
      const alg = jws.header["alg"] as string;
      const signer = state.chain![0]!;
      const oddNone = isOddlySpelledNone(alg) && context.faults.has("token.alg-none-case-insensitive");
      if ((alg === "none" && algorithms.has("none")) || oddNone) {
        return jws.signature.length === 0 ? undefined : 'alg "none" but the JWS carries a signature';
      }
      if (alg === "HS256" && algorithms.has("HS256")) {
        return hmacMatches(jws.signingInput, jws.signature, confusedHmacSecrets(signer))
          ? undefined
          : "the HS256 signature does not verify";
      }
      const jwk = jws.header["jwk"];
      const key =
        context.faults.has("token.verifies-with-header-jwk") && typeof jwk === "object" && jwk !== null
          ? headerKey(jwk)
          : publicKeyOf(signer);
      return key && signatureValid(alg, jws.signingInput, jws.signature, key)
        ? undefined
        : "the signature does not verify with the x5c[0] public key";
    },
  },
  {
    name: "iss equals client_id",
    rule: "§2.4",
    bentBy: ["token.accepts-client-id-mismatch"],
    run({ jws, clientId }, { context }) {
      const iss = jws.payload["iss"];
      if (typeof iss !== "string" || iss.length === 0) return `iss is ${describe(iss)}, not a party id`;
      if (context.faults.has("token.accepts-client-id-mismatch") || iss === clientId) return undefined;
      return `iss ${iss} is not the client_id ${clientId}`;
    },
  },
  {
    name: "sub equals iss",
    rule: "§2.4",
    bentBy: ["token.ignores-sub"],
    run({ jws }, { context }) {
      if (context.faults.has("token.ignores-sub")) return undefined;
      const sub = jws.payload["sub"];
      return sub === jws.payload["iss"] ? undefined : `sub is ${describe(sub)}, not the iss`;
    },
  },
  {
    name: "aud is the server's party id, as a single string",
    rule: "§2.3, §2.4",
    bentBy: ["token.ignores-aud", "token.accepts-aud-array"],
    run({ jws }, { context }) {
      if (context.faults.has("token.ignores-aud")) return undefined;
      const own = context.self.partyId;
      const aud = jws.payload["aud"];
      if (aud === own) return undefined;
      if (
        context.faults.has("token.accepts-aud-array") &&
        Array.isArray(aud) &&
        aud.every((entry) => typeof entry === "string") &&
        aud.includes(own)
      ) {
        return undefined;
      }
      if (Array.isArray(aud)) return `aud is an array (${JSON.stringify(aud)}); it must be the string ${own}`;
      return `aud is ${describe(aud)}, not ${own}`;
    },
  },
  {
    name: "iat, exp and nbf are integer seconds",
    rule: "§2.3, §10",
    bentBy: ["token.accepts-millisecond-timestamps"],
    run(state, { context }) {
      for (const claim of ["iat", "exp", "nbf"] as const) {
        const raw = state.jws.payload[claim];
        if (raw === undefined) continue;
        if (typeof raw !== "number" || !Number.isInteger(raw)) {
          return `${claim} is ${describe(raw)}, not an integer number of seconds`;
        }
        let value = raw;
        if (value >= MILLISECOND_THRESHOLD) {
          if (!context.faults.has("token.accepts-millisecond-timestamps")) {
            return `${claim} ${value} looks like milliseconds; JWT times are seconds`;
          }
          value = Math.floor(value / 1000);
        }
        state.times[claim] = value;
      }
      return undefined;
    },
  },
  {
    name: "iat is present",
    rule: "§2.3",
    bentBy: ["token.accepts-missing-iat"],
    run({ times }, { context }) {
      if (times.iat !== undefined || context.faults.has("token.accepts-missing-iat")) return undefined;
      return "iat is missing";
    },
  },
  {
    name: "iat is not in the future",
    rule: "§2.6",
    bentBy: ["token.accepts-future-iat"],
    run({ times, nowS }, { context }) {
      if (times.iat === undefined || context.faults.has("token.accepts-future-iat")) return undefined;
      return times.iat > nowS + CLOCK_SKEW_S
        ? `iat ${times.iat} is ${Math.round(times.iat - nowS)} s in the future`
        : undefined;
    },
  },
  {
    name: "exp is present",
    rule: "§2.3",
    bentBy: ["token.accepts-missing-exp"],
    run({ times }, { context }) {
      if (times.exp !== undefined || context.faults.has("token.accepts-missing-exp")) return undefined;
      return "exp is missing";
    },
  },
  {
    name: "exp - iat is 30 seconds",
    rule: "§2.3",
    bentBy: ["token.accepts-any-lifetime"],
    run({ times }, { context }) {
      if (times.iat === undefined || times.exp === undefined) return undefined;
      if (context.faults.has("token.accepts-any-lifetime")) return undefined;
      const lifetime = times.exp - times.iat;
      return lifetime === ASSERTION_LIFETIME_S
        ? undefined
        : `exp - iat is ${lifetime} s, not ${ASSERTION_LIFETIME_S} s`;
    },
  },
  {
    name: "assertion has not expired",
    rule: "§2.6",
    bentBy: ["token.accepts-expired-assertion"],
    run({ times, nowS }, { context }) {
      if (times.exp === undefined || context.faults.has("token.accepts-expired-assertion")) return undefined;
      return times.exp + CLOCK_SKEW_S < nowS
        ? `the assertion expired ${Math.round(nowS - times.exp)} s ago`
        : undefined;
    },
  },
  {
    name: "nbf is not in the future",
    rule: "§2.3",
    bentBy: ["token.ignores-nbf"],
    run({ times, nowS }, { context }) {
      if (times.nbf === undefined || context.faults.has("token.ignores-nbf")) return undefined;
      return times.nbf > nowS + CLOCK_SKEW_S
        ? `nbf ${times.nbf} is ${Math.round(times.nbf - nowS)} s in the future`
        : undefined;
    },
  },
  {
    name: "jti is present",
    rule: "§2.3",
    bentBy: ["token.accepts-missing-jti"],
    run({ jws }, { context }) {
      const jti = jws.payload["jti"];
      if (jti === undefined && context.faults.has("token.accepts-missing-jti")) return undefined;
      return typeof jti === "string" && jti.length > 0
        ? undefined
        : `jti is ${describe(jti)}, not a non-empty string`;
    },
  },
  {
    name: "jti was not used before",
    rule: "§2.5",
    bentBy: ["token.no-replay-protection"],
    run({ jws, nowS }, { context }) {
      const jti = jws.payload["jti"];
      if (typeof jti !== "string" || context.faults.has("token.no-replay-protection")) return undefined;
      return context.replay.has(jti, nowS * 1000) ? `jti ${jti} was already used` : undefined;
    },
  },
  {
    name: "party is registered",
    rule: "§3.3",
    bentBy: ["token.accepts-unregistered-party"],
    run(state, { context }) {
      const iss = state.jws.payload["iss"] as string;
      const party = context.registry.party(iss);
      if (party) {
        state.party = party;
        return undefined;
      }
      return context.faults.has("token.accepts-unregistered-party") ? undefined : `unknown party ${iss}`;
    },
  },
  {
    name: "party adherence is Active",
    rule: "§3.3",
    bentBy: ["token.ignores-adherence-status"],
    run({ party, nowS }, { context }) {
      if (!party || context.faults.has("token.ignores-adherence-status")) return undefined;
      const { status, startDate, endDate } = party.adherence;
      if (status !== "Active") return `party ${party.partyId} has adherence status ${status}, not Active`;
      const nowMs = nowS * 1000;
      if (Date.parse(startDate) > nowMs || Date.parse(endDate) < nowMs) {
        return `party ${party.partyId}'s adherence runs ${startDate} to ${endDate}, not now`;
      }
      return undefined;
    },
  },
  {
    name: "signer certificate is registered for the party",
    rule: "§3.3, §8",
    bentBy: ["token.skips-certificate-binding"],
    run({ party, chain }, { context }) {
      if (!party || context.faults.has("token.skips-certificate-binding")) return undefined;
      return ReferenceRegistry.isRegistered(party, chain![0]!.der)
        ? undefined
        : `the signing certificate is not registered for ${party.partyId}`;
    },
  },
];
