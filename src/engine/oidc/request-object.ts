/**
 * The request object of an authorization request (iSHARE IdP authorize page, "Request Parameter JWT"): an
 * iSHARE JWT signed by the Service Provider, sub = urn:TBD, aud = the IdP, carrying response_type,
 * client_id, scope, redirect_uri, state, nonce, acr_values and language. Built with the client-assertion
 * builder, so every client-assertion defect applies to it too; for iSHARE 3.0 it is then encrypted to the
 * IdP's certificate as a JWE (RSA-OAEP-256, A256GCM; 3.0 OpenAPI /connect/authorize: "MUST be encrypted").
 */
import type { X509Certificate } from "@peculiar/x509";
import { CompactEncrypt } from "jose";
import { type CertificateMint, createClientAssertion } from "../../assertions/index.ts";
import type { PartyIdentity } from "../../model/identity.ts";
import { certificatePublicKey } from "../../pki/index.ts";

/** The sub of a request object: the user is not known yet ("To Be Determined"). */
export const REQUEST_OBJECT_SUBJECT = "urn:TBD";

/** A request object as sent, with what it says (for the report). */
export interface BuiltRequestObject {
  /** What goes into the form's `request` parameter (a JWS, or a JWE around it). */
  readonly value: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly encrypted: boolean;
}

type Defects = Parameters<typeof createClientAssertion>[0]["defects"];

/** Signs (and, with `encryptTo`, encrypts) a request object. `claims` are the iSHARE request parameters. */
export async function buildRequestObject(input: {
  readonly signer: PartyIdentity;
  readonly audience: string;
  readonly nowMs: number;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly defects?: Defects;
  readonly mint: CertificateMint;
  readonly encryptTo?: X509Certificate;
}): Promise<BuiltRequestObject> {
  const signed = await createClientAssertion({
    identity: input.signer,
    audience: input.audience,
    nowMs: input.nowMs,
    subject: REQUEST_OBJECT_SUBJECT,
    claims: { ...input.claims },
    ...(input.defects ? { defects: input.defects } : {}),
    mint: input.mint,
  });
  if (!input.encryptTo)
    return { value: signed.jwt, header: signed.header, payload: signed.payload, encrypted: false };
  const value = await new CompactEncrypt(new TextEncoder().encode(signed.jwt))
    .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM", cty: "JWT" })
    .encrypt(certificatePublicKey(input.encryptTo));
  return { value, header: signed.header, payload: signed.payload, encrypted: true };
}
