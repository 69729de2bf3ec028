/**
 * Checks on a signed JWT the target returns (iSHARE JWT rules, spec digest §2): header members, algorithm,
 * signature with x5c[0], x5c chain to a trust anchor, lifetime and claims. `from` names where the JWT is.
 */
import { verifyJwsWithCertificate, x5cCertificates } from "../jwt/index.ts";
import type { IshareVersion } from "../model/target.ts";
import { verifyChain, verifyChainOnTrustedList } from "../pki/index.ts";
import { type CheckContext, type CheckVerdict, defineCheck, fail, pass, show } from "./check.ts";
import { lookup } from "./json-path.ts";

/** Seconds of clock skew tolerated for iat/nbf in the future and exp in the past. */
export const CLOCK_SKEW_SECONDS = 5;

/** Algorithms allowed per iSHARE version (v2.0: RS256 only; v2.1+: RS256/384/512). */
export function allowedAlgorithms(version: IshareVersion): readonly string[] {
  return version === "2.0" ? ["RS256"] : ["RS256", "RS384", "RS512"];
}

interface FromParams {
  from: string;
}

const fromSchema = (extra: Record<string, unknown> = {}, required: string[] = []) => ({
  type: "object",
  additionalProperties: false,
  required: ["from", ...required],
  properties: { from: { type: "string", minLength: 1 }, ...extra },
});

type Decoded = Extract<ReturnType<CheckContext["jwt"]>, { ok: true }>;

/** Runs `body` on the decoded JWT, or fails saying why there is no JWT to judge. */
async function withJwt(
  context: CheckContext,
  from: string,
  body: (jwt: Decoded) => CheckVerdict | Promise<CheckVerdict>,
): Promise<CheckVerdict> {
  const jwt = context.jwt(from);
  if (!jwt.ok) return fail(`expected a signed JWT at ${jwt.where}: ${jwt.message}`);
  return body(jwt);
}

const ALLOWED_HEADER_MEMBERS = ["alg", "typ", "x5c"];

/** `jwt-header-members`: only alg, typ and x5c in the header (iSHARE JWT: SHALL NOT contain others). */
export const jwtHeaderMembers = defineCheck<FromParams>({
  name: "jwt-header-members",
  description: "The JWT header holds only alg, typ and x5c.",
  params: fromSchema(),
  run: (context, { from }) =>
    withJwt(context, from, (jwt) => {
      const extra = Object.keys(jwt.header).filter((key) => !ALLOWED_HEADER_MEMBERS.includes(key));
      return extra.length === 0
        ? pass("header members alg, typ, x5c only")
        : fail(`expected only alg, typ, x5c in the header of ${jwt.where}, saw also ${extra.join(", ")}`);
    }),
});

/** `jwt-typ-is-jwt`: typ is "JWT". */
export const jwtTypIsJwt = defineCheck<FromParams>({
  name: "jwt-typ-is-jwt",
  description: 'The JWT header typ is "JWT".',
  params: fromSchema(),
  run: (context, { from }) =>
    withJwt(context, from, (jwt) =>
      jwt.header["typ"] === "JWT"
        ? pass('typ "JWT"')
        : fail(`expected header typ "JWT" in ${jwt.where}, saw ${show(jwt.header["typ"])}`),
    ),
});

/** `jwt-alg-allowed`: alg is one the target's iSHARE version allows. */
export const jwtAlgAllowed = defineCheck<FromParams>({
  name: "jwt-alg-allowed",
  description: "The JWT alg is allowed by the target's iSHARE version (2.0: RS256; 2.1+: RS256/RS384/RS512).",
  params: fromSchema(),
  run: (context, { from }) =>
    withJwt(context, from, (jwt) => {
      const allowed = allowedAlgorithms(context.target.version);
      const alg = jwt.header["alg"];
      return typeof alg === "string" && allowed.includes(alg)
        ? pass(`alg ${alg}`)
        : fail(
            `expected header alg ${allowed.join("/")} (iSHARE ${context.target.version}) in ${jwt.where}, saw ${show(alg)}`,
          );
    }),
});

/** `jwt-signed-by-x5c-leaf`: the signature verifies with the public key of x5c[0]. */
export const jwtSignedByX5cLeaf = defineCheck<FromParams>({
  name: "jwt-signed-by-x5c-leaf",
  description: "The JWT signature verifies with the key of the first x5c certificate.",
  params: fromSchema(),
  run: (context, { from }) =>
    withJwt(context, from, async (jwt) => {
      const certs = x5cCertificates(jwt.header);
      if (!certs.ok)
        return fail(`expected x5c with the signing certificate in ${jwt.where}: ${certs.message}`);
      const leaf = certs.certs[0];
      if (!leaf) return fail(`expected x5c with the signing certificate in ${jwt.where}, saw an empty x5c`);
      const verdict = await verifyJwsWithCertificate(
        jwt.compact,
        leaf,
        allowedAlgorithms(context.target.version),
      );
      return verdict.ok
        ? pass(`signature verified with x5c[0] (${leaf.subject})`)
        : fail(`expected ${jwt.where} signed by x5c[0] (${leaf.subject}): ${verdict.message}`);
    }),
});

/**
 * `x5c-chains-to-trusted-root`: x5c, in order, builds to a trusted CA and is valid now. The CA is one of the
 * target's trust anchors, or, when the target names `trust.registry`, a CA whose SHA-256 fingerprint is on the
 * registry's trusted list with validity valid and status granted (spec digest §6.4, §8).
 */
export const x5cChainsToTrustedRoot = defineCheck<FromParams>({
  name: "x5c-chains-to-trusted-root",
  description:
    "The x5c chain is in order (signer first), valid now, its signer an end-entity certificate that may sign, every issuer a CA within its path length, no unknown critical extension, and it leads to a trusted CA: a trust anchor, or a CA on the registry's trusted list (from 2.1 the chain includes the root).",
  params: fromSchema(),
  run: (context, { from }) =>
    withJwt(context, from, async (jwt) => {
      const certs = x5cCertificates(jwt.header);
      if (!certs.ok) return fail(`expected an x5c chain in ${jwt.where}: ${certs.message}`);
      const at = new Date(context.nowMs);
      // From iSHARE 2.1, x5c includes the root of the trusted-list CA (spec digest §2.2).
      const options = { rootRequired: context.target.version !== "2.0" };
      if (context.registryTrust) {
        const trust = await context.registryTrust();
        const verdict = await verifyChainOnTrustedList(certs.certs, trust.trustedList, at, options);
        return verdict.ok
          ? pass(
              `x5c chain ends at ${verdict.anchor.subject}, granted on the trusted list of ${trust.registry}`,
            )
          : fail(
              `expected the x5c chain of ${jwt.where} to lead to a CA on the trusted list of ${trust.registry}: ${verdict.message}`,
            );
      }
      const verdict = await verifyChain(certs.certs, context.target.anchors, at, options);
      return verdict.ok
        ? pass(`x5c chain of ${certs.certs.length} certificate(s) ends at trusted ${verdict.anchor.subject}`)
        : fail(`expected the x5c chain of ${jwt.where} to lead to a trusted root: ${verdict.message}`);
    }),
});

const integerClaim = (payload: Readonly<Record<string, unknown>>, claim: string): number | undefined => {
  const value = payload[claim];
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
};

/** `jwt-lifetime-is-30s`: iat and exp are integer seconds and exp - iat is exactly 30. */
export const jwtLifetimeIs30s = defineCheck<FromParams>({
  name: "jwt-lifetime-is-30s",
  description: "iat and exp are integer seconds and exp = iat + 30.",
  params: fromSchema(),
  run: (context, { from }) =>
    withJwt(context, from, (jwt) => {
      const iat = integerClaim(jwt.payload, "iat");
      const exp = integerClaim(jwt.payload, "exp");
      if (iat === undefined || exp === undefined) {
        return fail(
          `expected integer iat and exp in ${jwt.where}, saw iat ${show(jwt.payload["iat"])}, exp ${show(jwt.payload["exp"])}`,
        );
      }
      if (iat > 100_000_000_000)
        return fail(`expected iat in seconds in ${jwt.where}, saw ${iat} (milliseconds?)`);
      return exp - iat === 30
        ? pass("exp = iat + 30")
        : fail(`expected exp - iat = 30 s in ${jwt.where}, saw ${exp - iat} s (iat ${iat}, exp ${exp})`);
    }),
});

/** `jwt-time-valid`: not expired, iat and nbf not in the future (with a few seconds of skew). */
export const jwtTimeValid = defineCheck<FromParams>({
  name: "jwt-time-valid",
  description: "The JWT is valid now: exp in the future, iat and nbf (if present) not in the future.",
  params: fromSchema(),
  run: (context, { from }) =>
    withJwt(context, from, (jwt) => {
      const now = Math.floor(context.nowMs / 1000);
      const iat = integerClaim(jwt.payload, "iat");
      const exp = integerClaim(jwt.payload, "exp");
      const nbf = jwt.payload["nbf"];
      if (iat === undefined)
        return fail(`expected integer iat in ${jwt.where}, saw ${show(jwt.payload["iat"])}`);
      if (exp === undefined)
        return fail(`expected integer exp in ${jwt.where}, saw ${show(jwt.payload["exp"])}`);
      if (iat > now + CLOCK_SKEW_SECONDS)
        return fail(`expected iat not in the future in ${jwt.where}, saw iat ${iat} > now ${now}`);
      if (exp <= now - CLOCK_SKEW_SECONDS)
        return fail(`expected ${jwt.where} not expired, saw exp ${exp} <= now ${now}`);
      if (nbf !== undefined && (typeof nbf !== "number" || nbf > now + CLOCK_SKEW_SECONDS)) {
        return fail(`expected nbf not in the future in ${jwt.where}, saw nbf ${show(nbf)} (now ${now})`);
      }
      return pass(`valid now (iat ${iat}, exp ${exp})`);
    }),
});

/** A payload claim by name or dotted path (`capabilities_info.party_id`). */
function claimAt(payload: Readonly<Record<string, unknown>>, claim: string): unknown {
  if (Object.hasOwn(payload, claim)) return payload[claim];
  const found = lookup(payload, claim);
  return found.found ? found.value : undefined;
}

/**
 * `jwt-claim-equals`: a payload claim (or a dotted path into the payload) has the expected value (templates:
 * {{target.id}}, {{client.id}}).
 */
export const jwtClaimEquals = defineCheck<{ from: string; claim: string; value: unknown }>({
  name: "jwt-claim-equals",
  description: "A JWT payload claim equals the expected value.",
  params: fromSchema({ claim: { type: "string", minLength: 1 }, value: {} }, ["claim", "value"]),
  run: (context, { from, claim, value }) =>
    withJwt(context, from, (jwt) => {
      const expected = typeof value === "string" ? context.render(value) : value;
      const actual = claimAt(jwt.payload, claim);
      return JSON.stringify(actual) === JSON.stringify(expected)
        ? pass(`${claim} = ${show(actual)}`)
        : fail(`expected claim ${claim} = ${show(expected)} in ${jwt.where}, saw ${show(actual)}`);
    }),
});

/** `jwt-claim-present`: a payload claim (or dotted path) exists (e.g. jti). */
export const jwtClaimPresent = defineCheck<{ from: string; claim: string }>({
  name: "jwt-claim-present",
  description: "A JWT payload claim is present and not empty.",
  params: fromSchema({ claim: { type: "string", minLength: 1 } }, ["claim"]),
  run: (context, { from, claim }) =>
    withJwt(context, from, (jwt) => {
      const value = claimAt(jwt.payload, claim);
      return value !== undefined && value !== null && value !== ""
        ? pass(`${claim} present`)
        : fail(`expected claim ${claim} in ${jwt.where}, saw ${show(value)}`);
    }),
});

/** `jwt-claim-absent`: a payload claim (or dotted path) is not present (e.g. no aud on an anonymous call). */
export const jwtClaimAbsent = defineCheck<{ from: string; claim: string }>({
  name: "jwt-claim-absent",
  description: "A JWT payload claim is absent.",
  params: fromSchema({ claim: { type: "string", minLength: 1 } }, ["claim"]),
  run: (context, { from, claim }) =>
    withJwt(context, from, (jwt) => {
      const value = claimAt(jwt.payload, claim);
      return value === undefined
        ? pass(`no ${claim}`)
        : fail(`expected no claim ${claim} in ${jwt.where}, saw ${show(value)}`);
    }),
});
