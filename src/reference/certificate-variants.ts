/**
 * Registering the deliberately defective certificates a run signs with (expired, not yet valid, small key,
 * untrusted root) for their party, so that in the reference target only the defect under test, not the
 * certificate binding, decides whether the assertion is refused.
 */
import type { AssertionDefect, CertificateMint } from "../assertions/index.ts";
import type { PartyIdentity } from "../model/identity.ts";
import type { ReferenceTarget } from "./server.ts";

/**
 * Certificate defects whose certificate gets registered. `unregistered-certificate` is deliberately
 * absent: its whole point is a certificate the registry does not know (TOKEN-044).
 */
export const REGISTERED_CERTIFICATE_DEFECTS = [
  "untrusted-root",
  "expired-certificate",
  "not-yet-valid-certificate",
  "small-key",
] as const satisfies readonly AssertionDefect[];

/**
 * Mints (through the run's `mint`, which caches them for the cases) the certificate variants of
 * `identity` and registers each for `identity.partyId` in the reference target's registry.
 */
export async function registerCertificateVariants(
  target: Pick<ReferenceTarget, "registry">,
  mint: CertificateMint,
  identity: PartyIdentity,
): Promise<void> {
  const variants = await Promise.all(
    REGISTERED_CERTIFICATE_DEFECTS.map((defect) => mint.identityFor(defect, identity)),
  );
  for (const variant of variants) target.registry.registerCertificate(identity.partyId, variant.chain);
}
