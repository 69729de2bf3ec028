/** Inspecting JWTs a target returns: decoding, reading x5c, verifying signatures. */
export { type DecodedJws, decodeJws, MAX_JWS_LENGTH } from "./decode.ts";
export { type JwsVerdict, verifyJwsWithCertificate } from "./verify.ts";
export { type X5cResult, x5cCertificates } from "./x5c.ts";
