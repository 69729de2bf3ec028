/** Issuing X.509 certificates for the test PKI: CA certificates and iSHARE party certificates. */
import type { KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { spkiDer, toWebCryptoSigningKey } from "./keys.ts";
import { parseName } from "./names.ts";
import { x509 } from "./x509.ts";

/** Parameters of {@link createCertificate}. */
export interface CreateCertificateOptions {
  /** Subject DN, e.g. from `partySubject()`; serialNumber and organizationIdentifier are understood. */
  readonly subject: string;
  /** The key pair certified (only the public half is used; the private half signs when self-signed). */
  readonly subjectKeys: { readonly privateKey: KeyObject; readonly publicKey?: KeyObject };
  /** The CA that signs; absent = self-signed. */
  readonly issuer?: { readonly privateKey: KeyObject; readonly certificate: X509Certificate };
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Makes a CA certificate (basicConstraints cA, keyUsage keyCertSign + cRLSign). */
  readonly ca?: { readonly pathLength?: number };
  /**
   * Replaces the profile's basicConstraints / keyUsage / extKeyUsage (SKI and AKI are still added): for
   * deliberately odd certificates in tests and attack chains.
   */
  readonly extensions?: readonly x509.Extension[];
  /** Hex serial number; random 16 bytes when absent. */
  readonly serialNumber?: string;
}

/**
 * Creates a certificate signed with sha256WithRSAEncryption. CA certificates carry basicConstraints
 * cA=true (critical) and keyUsage keyCertSign + cRLSign (critical); party certificates carry keyUsage
 * digitalSignature + nonRepudiation (critical), extKeyUsage clientAuth and basicConstraints cA=false,
 * like the iSHARE test certificates (spec digest §8). Both get SKI, and AKI when issued by a CA.
 */
export async function createCertificate(opts: CreateCertificateOptions): Promise<X509Certificate> {
  const subjectSpki = spkiDer(opts.subjectKeys.publicKey ?? opts.subjectKeys.privateKey);
  const signer = opts.issuer?.privateKey ?? opts.subjectKeys.privateKey;
  const signingKey = await toWebCryptoSigningKey(signer);
  const subject = parseName(opts.subject);
  const issuerName = opts.issuer ? opts.issuer.certificate.subjectName : subject;

  const extensions: x509.Extension[] = [];
  if (opts.extensions) {
    extensions.push(...opts.extensions);
  } else if (opts.ca) {
    extensions.push(
      new x509.BasicConstraintsExtension(true, opts.ca.pathLength, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    );
  } else {
    extensions.push(
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
    );
  }
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(subjectSpki, false));
  if (opts.issuer) {
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.certificate.publicKey, false),
    );
  }

  // Positive serial: clear the top bit so the DER INTEGER needs no padding.
  const serial = opts.serialNumber ?? randomSerial();
  return x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: issuerName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: subjectSpki,
    signingKey,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    extensions,
  });
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString("hex");
}
