/**
 * The reference target's own certificate judge: x5c chains and signer certificates, written apart from the
 * harness's (src/pki/chain.ts) on node:crypto's X509Certificate (`checkIssued`, `verify`) and a plain DER
 * reading of the extensions, so that a bug on one side cannot make both sides agree (RFC 5280 §6.1, spec
 * digest §2.2, §2.6, §8). The faulty variants the reference can be switched into are options here.
 */
import { X509Certificate as NodeCertificate } from "node:crypto";
import {
  certificateExtensions,
  type KeyUsageName,
  OID,
  readBasicConstraints,
  readKeyUsage,
  UNDERSTOOD_EXTENSIONS,
} from "./der-extensions.ts";

/** Longest x5c the reference reads. */
export const MAX_X5C = 10;

/** Smallest RSA modulus the reference accepts (reference AR rule, spec digest §8). */
export const MIN_SIGNER_BITS = 2048;

/** What the reference knows about one certificate. */
export interface Certificate {
  readonly der: Buffer;
  readonly node: NodeCertificate;
  readonly subject: string;
  readonly ca: boolean;
  readonly pathLength?: number;
  /** keyUsage names, or undefined when the certificate has no keyUsage extension. */
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  /** OIDs of critical extensions the reference does not understand (RFC 5280 §4.2: reject). */
  readonly unknownCritical: readonly string[];
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

const facts = new Map<string, Certificate>();

/** Reads a DER certificate (cached by its bytes). @throws Error when it is not one. */
export function readCertificate(der: Uint8Array): Certificate {
  const key = Buffer.from(der).toString("base64");
  const cached = facts.get(key);
  if (cached) return cached;
  const node = new NodeCertificate(Buffer.from(der));
  let ca = false;
  let pathLength: number | undefined;
  let keyUsage: Set<KeyUsageName> | undefined;
  const unknownCritical: string[] = [];
  for (const extension of certificateExtensions(node.raw)) {
    if (extension.oid === OID.basicConstraints) {
      const constraints = readBasicConstraints(extension.value);
      ca = constraints.ca;
      pathLength = constraints.pathLength;
    } else if (extension.oid === OID.keyUsage) keyUsage = readKeyUsage(extension.value);
    if (extension.critical && !UNDERSTOOD_EXTENSIONS.has(extension.oid)) unknownCritical.push(extension.oid);
  }
  const certificate: Certificate = {
    der: node.raw,
    node,
    subject: node.subject.split("\n").join(", "),
    ca,
    ...(pathLength !== undefined ? { pathLength } : {}),
    ...(keyUsage ? { keyUsage } : {}),
    unknownCritical,
    notBeforeMs: Date.parse(node.validFrom),
    notAfterMs: Date.parse(node.validTo),
  };
  if (facts.size > 512) facts.clear();
  facts.set(key, certificate);
  return certificate;
}

/** True when `issuer` issued `child`: names and key ids match (OpenSSL's check) and the signature verifies. */
export function issued(child: Certificate, issuer: Certificate): boolean {
  try {
    return child.node.checkIssued(issuer.node) && child.node.verify(issuer.node.publicKey);
  } catch {
    return false;
  }
}

/** True for a certificate that issued itself (a root). */
export function selfSigned(cert: Certificate): boolean {
  return issued(cert, cert);
}

const sameCertificate = (a: Certificate, b: Certificate) => a.der.equals(b.der);

/** How a faulty server bends chain verification (each option is one reference fault). */
export interface ChainLeniency {
  /** Does not check certificate validity periods at all. */
  readonly ignoreValidity?: boolean;
  /** Checks the validity period of the signer's certificate only. */
  readonly leafValidityOnly?: boolean;
  /** Its loop stops one link short: the next-to-last → last link is never verified. */
  readonly skipLastLink?: boolean;
  /** Links certificates by issuer / subject name only, never verifying the signature. */
  readonly linkByName?: boolean;
  /** Stops reading x5c at the first trusted certificate; anything after it is ignored. */
  readonly stopAtTrusted?: boolean;
}

/** The verdict on a chain. */
export type ChainJudgement =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: string; readonly message: string };

const reject = (problem: string, message: string): ChainJudgement => ({ ok: false, problem, message });

function linked(child: Certificate, parent: Certificate, leniency: ChainLeniency): boolean {
  if (leniency.linkByName) return child.node.issuer === parent.node.subject;
  return issued(child, parent);
}

/**
 * Judges `chain` (x5c order, signer first) against `anchors` (trusted-list CAs) at `atMs`: every link is
 * issued-and-signed, every certificate valid then and free of unknown critical extensions, every issuer a CA
 * with keyCertSign within its pathLenConstraint, and the chain ends at a trusted CA: the last certificate is
 * one (always so when `rootRequired`, iSHARE 2.1+: x5c includes the root) or, on 2.0, is issued by one.
 */
export function judgeChain(
  chain: readonly Certificate[],
  anchors: readonly Certificate[],
  atMs: number,
  options: { readonly rootRequired: boolean; readonly leniency?: ChainLeniency },
): ChainJudgement {
  const leniency = options.leniency ?? {};
  if (chain.length === 0) return reject("empty", "x5c holds no certificate");
  if (chain.length > MAX_X5C) return reject("too-long", `x5c has more than ${MAX_X5C} certificates`);
  let path = [...chain];
  if (leniency.stopAtTrusted) {
    const trustedAt = path.findIndex((cert) => anchors.some((anchor) => sameCertificate(anchor, cert)));
    if (trustedAt >= 0) path = path.slice(0, trustedAt + 1);
  }
  const links = leniency.skipLastLink ? path.length - 2 : path.length - 1;
  for (let i = 0; i < links; i++) {
    const child = path[i]!;
    const parent = path[i + 1]!;
    if (linked(child, parent, leniency)) continue;
    if (selfSigned(child))
      return reject("order", `x5c[${i}] (${child.subject}) is a root but not the last certificate`);
    if (issued(parent, child))
      return reject(
        "order",
        `x5c[${i}] (${child.subject}) issued x5c[${i + 1}] instead of being issued by it`,
      );
    return reject(
      "signature",
      `x5c[${i}] (${child.subject}) is not issued and signed by x5c[${i + 1}] (${parent.subject})`,
    );
  }
  for (const [i, cert] of path.entries()) {
    if (cert.unknownCritical.length > 0)
      return reject(
        "critical-extension",
        `x5c[${i}] (${cert.subject}) has unknown critical extension(s) ${cert.unknownCritical.join(", ")}`,
      );
  }
  for (let i = 1; i < path.length; i++) {
    const cert = path[i]!;
    if (!cert.ca)
      return reject("not-a-ca", `x5c[${i}] (${cert.subject}) issues a certificate but is not a CA`);
    if (cert.keyUsage && !cert.keyUsage.has("keyCertSign"))
      return reject("not-a-ca", `x5c[${i}] (${cert.subject}) is a CA without keyCertSign`);
    // Intermediate CAs below this one (the signer's certificate does not count; self-issued roots do not occur below).
    if (cert.pathLength !== undefined && i - 1 > cert.pathLength)
      return reject(
        "path-length",
        `x5c[${i}] (${cert.subject}) allows ${cert.pathLength} CA(s) below it, the chain has ${i - 1}`,
      );
  }
  if (!leniency.ignoreValidity) {
    const checked = leniency.leafValidityOnly ? path.slice(0, 1) : path;
    for (const [i, cert] of checked.entries()) {
      if (cert.notAfterMs < atMs) return reject("expired", `x5c[${i}] (${cert.subject}) has expired`);
      if (cert.notBeforeMs > atMs)
        return reject("not-yet-valid", `x5c[${i}] (${cert.subject}) is not valid yet`);
    }
  }
  const last = path[path.length - 1]!;
  if (anchors.some((anchor) => sameCertificate(anchor, last))) return { ok: true };
  const issuer = anchors.find((anchor) => issued(last, anchor));
  if (issuer && options.rootRequired)
    return reject(
      "root-missing",
      `x5c ends at ${last.subject}; from iSHARE 2.1 it must include the root ${issuer.subject}`,
    );
  if (issuer && (leniency.ignoreValidity || (issuer.notBeforeMs <= atMs && atMs <= issuer.notAfterMs)))
    return { ok: true };
  return reject("untrusted", `x5c ends at ${last.subject}, which is not under a trusted-list CA`);
}

/** Signer rules a faulty server waives (each option is one reference fault). */
export interface SignerLeniency {
  readonly allowSmallKeys?: boolean;
  /** Accepts a CA certificate (cA or keyCertSign) as signer. */
  readonly allowCa?: boolean;
  /** Does not look at keyUsage. */
  readonly ignoreKeyUsage?: boolean;
  /** Accepts EC keys (ES256). */
  readonly allowEc?: boolean;
}

/** Why `cert` may not sign an iSHARE JWT (spec digest §2.6, §8), or an empty list. */
export function signerProblems(cert: Certificate, options: SignerLeniency = {}): string[] {
  const problems: string[] = [];
  const key = cert.node.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== "rsa") {
    if (!(options.allowEc && key.asymmetricKeyType === "ec"))
      problems.push(`its key is ${key.asymmetricKeyType}, not RSA`);
  } else if (!options.allowSmallKeys && (bits ?? 0) < MIN_SIGNER_BITS)
    problems.push(`its RSA key has ${bits} bits, fewer than ${MIN_SIGNER_BITS}`);
  if (!options.allowCa) {
    if (cert.ca) problems.push("it is a CA certificate (basicConstraints cA), not an end-entity certificate");
    if (cert.keyUsage?.has("keyCertSign")) problems.push("its keyUsage includes keyCertSign");
  }
  if (
    !options.ignoreKeyUsage &&
    !(cert.keyUsage?.has("digitalSignature") || cert.keyUsage?.has("nonRepudiation"))
  )
    problems.push("its keyUsage has neither digitalSignature nor nonRepudiation");
  return problems;
}
