/**
 * `jwt-signer-registered`: with trust from a participant registry, the target is a registered party with
 * adherence Active, and its JWT is signed with a certificate registered for it (spec digest §2.6, §8:
 * "party status Active at the Satellite and certificate matches the registered one", by x5t#s256 or x5c).
 */
import { x5cCertificates } from "../jwt/index.ts";
import type { PartyView } from "../model/registry-trust.ts";
import { sha256Thumbprint, subjectOf, toBase64Der } from "../pki/index.ts";
import { defineCheck, fail, pass, show } from "./check.ts";

/** Base64 DER of a registered `x5c` value, armour and whitespace removed. */
function bareBase64(value: string): string {
  return value.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s/g, "");
}

/** Why `party`'s adherence does not allow trust at `nowMs`, or undefined when it does. */
export function adherenceProblem(party: PartyView, nowMs: number): string | undefined {
  if (party.adherenceStatus !== "Active")
    return `adherence status is ${show(party.adherenceStatus)}, not "Active"`;
  const start = party.adherenceStart === undefined ? Number.NaN : Date.parse(party.adherenceStart);
  const end = party.adherenceEnd === undefined ? Number.NaN : Date.parse(party.adherenceEnd);
  if (!Number.isNaN(start) && start > nowMs) return `adherence starts only on ${party.adherenceStart}`;
  if (!Number.isNaN(end) && end < nowMs) return `adherence ended on ${party.adherenceEnd}`;
  return undefined;
}

export const jwtSignerRegistered = defineCheck<{ from: string }>({
  name: "jwt-signer-registered",
  description:
    "With trust.registry: the target is registered with adherence Active, and x5c[0] is one of its registered certificates (x5t#s256 or x5c). Without: nothing to check.",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["from"],
    properties: { from: { type: "string", minLength: 1 } },
  },
  async run(context, { from }) {
    if (!context.registryTrust)
      return pass("no trust.registry configured: the registry binding is not checked");
    const jwt = context.jwt(from);
    if (!jwt.ok) return fail(`expected a signed JWT at ${jwt.where}: ${jwt.message}`);
    const trust = await context.registryTrust();
    const party = trust.party;
    if (!party)
      return fail(`expected ${trust.partyId} to be registered at ${trust.registry}, saw no party record`);
    const problem = adherenceProblem(party, context.nowMs);
    if (problem) return fail(`expected ${trust.partyId} Active at ${trust.registry}: ${problem}`);
    const certs = x5cCertificates(jwt.header);
    if (!certs.ok || certs.certs[0] === undefined) {
      return fail(
        `expected x5c with the signing certificate in ${jwt.where}: ${certs.ok ? "empty" : certs.message}`,
      );
    }
    const leaf = certs.certs[0];
    const thumbprint = sha256Thumbprint(leaf);
    const der = toBase64Der(leaf);
    const registered = party.certificates.some(
      (c) =>
        (c.x5tS256 !== undefined && c.x5tS256.replace(/[:\s]/g, "").toLowerCase() === thumbprint) ||
        (c.x5c !== undefined && bareBase64(c.x5c) === der),
    );
    return registered
      ? pass(`x5c[0] (${subjectOf(leaf)}) is registered for ${trust.partyId} at ${trust.registry}`)
      : fail(
          `expected x5c[0] of ${jwt.where} to be a certificate registered for ${trust.partyId} at ${trust.registry}: ` +
            `its x5t#s256 is ${thumbprint}, the registry lists ${show(party.certificates.map((c) => c.x5tS256 ?? "(x5c only)"))}`,
        );
  },
});
