/** Saving a generated test PKI to a folder (for users and the reference target) and loading it back. */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.ts";
import type { PartyIdentity } from "../model/identity.ts";
import { commonNameOf, partyIdFromCertificate } from "./names.ts";
import { privateKeyToPem, readCertificateFile, readPrivateKeyFile, toPem } from "./pem.ts";
import {
  FILE_VARIANTS,
  type RegisteredVariant,
  TEST_PARTY_ROLES,
  type TestParty,
  type TestPartyRole,
  type TestPki,
  variantKeyTypes,
} from "./test-pki.ts";

/** File names inside a test PKI folder. */
export const TEST_PKI_FILES = {
  root: "root.pem",
  rootKey: "root.key.pem",
  issuing: "issuing-ca.pem",
  issuingKey: "issuing-ca.key.pem",
  partyKey: (role: TestPartyRole) => `${role}.key.pem`,
  partyChain: (role: TestPartyRole) => `${role}.chain.pem`,
  variantKey: (variant: RegisteredVariant) => `client-${variant}.key.pem`,
  variantChain: (variant: RegisteredVariant) => `client-${variant}.chain.pem`,
  readme: "README.txt",
} as const;

async function writeSecret(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600); // writeFile's mode does not apply to an existing file
}

/**
 * Writes the PKI to `dir` (created if needed): root.pem, root.key.pem, issuing-ca.pem, issuing-ca.key.pem,
 * `<role>.key.pem` (PKCS#8, mode 0600) and `<role>.chain.pem` (leaf, issuing CA, root) per party, and a
 * README.txt listing the party ids. Returns the written paths.
 */
export async function writeTestPki(pki: TestPki, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, text: string, secret = false) => {
    const path = join(dir, name);
    if (secret) await writeSecret(path, text);
    else await writeFile(path, text);
    written.push(path);
  };
  await put(TEST_PKI_FILES.root, toPem(pki.root.certificate));
  await put(TEST_PKI_FILES.rootKey, privateKeyToPem(pki.root.privateKey), true);
  await put(TEST_PKI_FILES.issuing, toPem(pki.issuing.certificate));
  await put(TEST_PKI_FILES.issuingKey, privateKeyToPem(pki.issuing.privateKey), true);
  const lines = [
    "iSHARE conformance test PKI: throw-away keys and certificates for testing only, trusted by nothing real.",
    "",
    `root CA:    ${TEST_PKI_FILES.root} (trust anchor; key ${TEST_PKI_FILES.rootKey})`,
    `issuing CA: ${TEST_PKI_FILES.issuing} (key ${TEST_PKI_FILES.issuingKey})`,
    "",
    "role             party id                          name",
  ];
  for (const role of TEST_PARTY_ROLES) {
    const party = pki.parties[role];
    await put(TEST_PKI_FILES.partyKey(role), privateKeyToPem(party.privateKey), true);
    await put(TEST_PKI_FILES.partyChain(role), party.chain.map(toPem).join(""));
    lines.push(`${role.padEnd(16)} ${party.partyId.padEnd(33)} ${party.name}`);
  }
  for (const variant of FILE_VARIANTS) {
    const identity = pki.registeredVariants[variant];
    if (!identity) continue;
    await put(TEST_PKI_FILES.variantKey(variant), privateKeyToPem(identity.privateKey), true);
    await put(TEST_PKI_FILES.variantChain(variant), identity.chain.map(toPem).join(""));
  }
  lines.push(
    "",
    "Per party: <role>.key.pem (PKCS#8 private key) and <role>.chain.pem (leaf, issuing CA, root).",
    "client-<defect>.*: client certificates with one defect each, listed as registered by the reference target.",
    "",
  );
  await put(TEST_PKI_FILES.readme, lines.join("\n"));
  return written;
}

/**
 * Loads a folder written by {@link writeTestPki}.
 * @throws ConfigError("KEY" | "CERTIFICATE") naming the file when something is missing or unreadable.
 */
export async function readTestPki(dir: string): Promise<TestPki> {
  const one = async (name: string) => {
    const path = join(dir, name);
    const certs = await readCertificateFile(path);
    return certs[0]!;
  };
  const root = {
    certificate: await one(TEST_PKI_FILES.root),
    privateKey: await readPrivateKeyFile(join(dir, TEST_PKI_FILES.rootKey)),
  };
  const issuing = {
    certificate: await one(TEST_PKI_FILES.issuing),
    privateKey: await readPrivateKeyFile(join(dir, TEST_PKI_FILES.issuingKey)),
  };
  const entries = await Promise.all(
    TEST_PARTY_ROLES.map(async (role): Promise<[TestPartyRole, TestParty]> => {
      const chainPath = join(dir, TEST_PKI_FILES.partyChain(role));
      const chain = await readCertificateFile(chainPath);
      const leaf = chain[0]!;
      const partyId = partyIdFromCertificate(leaf);
      if (!partyId) {
        throw new ConfigError(
          "CERTIFICATE",
          `${chainPath}: the first certificate carries no party id (subject serialNumber or organizationIdentifier); regenerate the test PKI`,
        );
      }
      const privateKey = await readPrivateKeyFile(join(dir, TEST_PKI_FILES.partyKey(role)));
      return [role, { partyId, name: commonNameOf(leaf) ?? partyId, privateKey, chain }];
    }),
  );
  const variants = await Promise.all(
    FILE_VARIANTS.map(async (variant): Promise<[RegisteredVariant, PartyIdentity]> => {
      const chain = await readCertificateFile(join(dir, TEST_PKI_FILES.variantChain(variant)));
      const privateKey = await readPrivateKeyFile(
        join(dir, TEST_PKI_FILES.variantKey(variant)),
        undefined,
        variantKeyTypes(variant),
      );
      const client = entries.find(([role]) => role === "client")![1];
      return [variant, { partyId: client.partyId, privateKey, chain }];
    }),
  );
  return {
    root,
    issuing,
    parties: Object.fromEntries(entries) as Record<TestPartyRole, TestParty>,
    registeredVariants: Object.fromEntries(variants) as Partial<Record<RegisteredVariant, PartyIdentity>>,
  };
}
