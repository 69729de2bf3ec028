/**
 * Validating a `previous_steps` entry: the access subject's client assertion, forwarded by the requesting
 * party (spec digest §2.5, §5.2). It must be a valid iSHARE JWT of the access subject addressed to the
 * requester; unlike at /token it is not claimed against replay (forwarding is its purpose during its 30 s).
 * Only the delegation faults bend these checks; the token endpoint's faults do not reach them.
 */
import { type Certificate, judgeChain, MAX_X5C, signerProblems } from "./certificate-judge.ts";
import { parseCompactJws } from "./compact-jws.ts";
import { CLOCK_SKEW_S, type ReferenceContext } from "./context.ts";
import { signatureValid } from "./jws-signature.ts";
import { ReferenceRegistry } from "./registry-data.ts";

/** Header members an iSHARE JWT may carry (spec digest §2.2). */
const HEADER_MEMBERS = ["alg", "typ", "x5c"];
const LIFETIME_S = 30;

/** Who the assertion must come from and be addressed to. */
export interface ExpectedStep {
  /** The mask's accessSubject: iss and sub of the assertion. */
  readonly subject: string;
  /** The requesting party: the assertion's aud. */
  readonly requester: string;
}

const isInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);

/**
 * Checks a planted fault switches off. By default the delegation faults decide; another endpoint that judges
 * an iSHARE JWT of a party with these rules (the policy creation request token) passes its own.
 */
export interface JwtBends {
  readonly skipChain: boolean;
  readonly skipSignature: boolean;
  readonly trustsIss: boolean;
  readonly ignoreAud: boolean;
  readonly acceptExpired: boolean;
  readonly skipBinding: boolean;
}

/** The bends of the delegation faults (previous_steps). */
function delegationBends(context: ReferenceContext): JwtBends {
  const { faults } = context;
  return {
    skipChain: faults.has("delegation.previous-steps-skip-chain"),
    skipSignature: faults.has("delegation.previous-steps-skip-signature"),
    trustsIss: faults.has("delegation.previous-steps-trusts-iss"),
    ignoreAud: faults.has("delegation.previous-steps-ignore-aud"),
    acceptExpired: faults.has("delegation.previous-steps-accept-expired"),
    skipBinding: faults.has("delegation.previous-steps-skip-binding"),
  };
}

/**
 * Why `step` is not a valid iSHARE JWT of `expected.subject` (iss = sub) for `expected.requester` (aud):
 * header, x5c chain to a trusted root, signature, 30 s lifetime, Active party with that certificate
 * registered; undefined when it is.
 */
export async function previousStepProblem(
  step: unknown,
  expected: ExpectedStep,
  context: ReferenceContext,
  bends: JwtBends = delegationBends(context),
): Promise<string | undefined> {
  if (typeof step !== "string") return "is not a string";
  const jws = parseCompactJws(step);
  if (typeof jws === "string") return `is not a JWT: ${jws}`;
  const { header, payload } = jws;
  const extra = Object.keys(header).filter((member) => !HEADER_MEMBERS.includes(member));
  if (extra.length > 0) return `has header members ${extra.join(", ")} (only alg, typ, x5c)`;
  if (typeof header["typ"] !== "string" || header["typ"].toUpperCase() !== "JWT") return "typ is not JWT";
  const algorithms = context.version === "2.0" ? ["RS256"] : ["RS256", "RS384", "RS512"];
  const alg = header["alg"];
  if (typeof alg !== "string" || !algorithms.includes(alg))
    return `alg ${JSON.stringify(alg)} is not allowed`;

  const x5c = header["x5c"];
  if (!Array.isArray(x5c) || x5c.length === 0) return "has no x5c chain";
  if (x5c.length > MAX_X5C) return `x5c has more than ${MAX_X5C} entries`;
  const chain: Certificate[] = [];
  for (const entry of x5c) {
    if (typeof entry !== "string") return "x5c holds a non-string";
    try {
      chain.push(context.certificates.decode(entry));
    } catch (error) {
      return `x5c: ${(error as Error).message}`;
    }
  }
  const nowMs = context.now();
  if (!bends.skipChain) {
    const verdict = judgeChain(chain, context.registry.trustAnchors(), nowMs, {
      rootRequired: context.version !== "2.0",
    });
    if (!verdict.ok) return `x5c chain rejected: ${verdict.message}`;
  }
  const signer = chain[0]!;
  const keyProblems = signerProblems(signer);
  if (keyProblems.length > 0) return `signer certificate: ${keyProblems.join("; ")}`;
  if (!bends.skipSignature && !signatureValid(alg, jws.signingInput, jws.signature, signer.node.publicKey))
    return "the signature does not verify with the x5c[0] key";

  // A server that trusts whoever signed judges the step as the signer's, not the access subject's.
  const subject = bends.trustsIss && typeof payload["iss"] === "string" ? payload["iss"] : expected.subject;
  if (payload["iss"] !== subject || payload["sub"] !== subject) {
    return `iss/sub are ${JSON.stringify(payload["iss"])}/${JSON.stringify(payload["sub"])}, not the access subject ${expected.subject}`;
  }
  if (payload["aud"] !== expected.requester && !bends.ignoreAud) {
    return `aud is ${JSON.stringify(payload["aud"])}, not the requester ${expected.requester}`;
  }
  const { iat, exp } = payload;
  if (!isInteger(iat) || !isInteger(exp)) return "iat and exp must be integer seconds";
  if (exp - iat !== LIFETIME_S) return `exp - iat is ${exp - iat} s, not ${LIFETIME_S} s`;
  const nowS = nowMs / 1000;
  if (iat > nowS + CLOCK_SKEW_S) return "iat is in the future";
  if (exp + CLOCK_SKEW_S < nowS && !bends.acceptExpired) {
    return `expired ${Math.round(nowS - exp)} s ago`;
  }
  if (typeof payload["jti"] !== "string" || payload["jti"] === "") return "has no jti";

  const party = context.registry.party(subject);
  if (!party) return `${subject} is not a registered party`;
  if (party.adherence.status !== "Active") return `${subject} is ${party.adherence.status}, not Active`;
  if (!bends.skipBinding && !ReferenceRegistry.isRegistered(party, signer.der))
    return `the signing certificate is not registered for ${subject}`;
  return undefined;
}
