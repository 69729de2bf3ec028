/**
 * `pki init --party ID[:NAME]…`: a throw-away CA pair (root, issuing CA) and one key + certificate chain per
 * party the user names, for testing a real peer with the user's own party ids. Written as PEM: keys mode
 * 0600, chains in x5c order (leaf, issuing CA, root), and the issuer chain file `client.issuer` wants.
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { usageError } from "./args.ts";

/** A party to certify: its iSHARE id and the common name of its certificate. */
export interface PartySpec {
  readonly partyId: string;
  readonly name: string;
}

/** Issuing CA then root: what targets.yaml's `client.issuer.certificates` wants. */
export const ISSUER_CHAIN_FILE = "issuing-ca.chain.pem";

const PARTY_ID = /^(EU\.EORI\.[A-Z]{2}[A-Za-z0-9]+|did:ishare:[A-Za-z0-9.:-]+)$/;

/**
 * Parses `--party` values: `EU.EORI.NL000000001` or `EU.EORI.NL000000001:ABC Trucking` (the name defaults
 * to the id). The first colon that follows the id separates the name, so `did:ishare:…` ids keep theirs.
 */
export function parsePartySpecs(values: readonly string[]): PartySpec[] {
  const specs = values.map((value): PartySpec => {
    const trimmed = value.trim();
    const didMatch = /^(did:ishare:[A-Za-z0-9.-]+)(?::(.*))?$/.exec(trimmed);
    const [partyId, name] = didMatch
      ? [didMatch[1] ?? "", didMatch[2]]
      : [
          trimmed.split(":")[0] ?? "",
          trimmed.includes(":") ? trimmed.slice(trimmed.indexOf(":") + 1) : undefined,
        ];
    if (!PARTY_ID.test(partyId)) {
      throw usageError(
        "pki init",
        `--party "${value}": the party id must look like EU.EORI.NL000000001 or did:ishare:EU.NL.NTRNL-10000000, optionally followed by :NAME`,
      );
    }
    return { partyId, name: name !== undefined && name.trim() !== "" ? name.trim() : partyId };
  });
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.partyId)) throw usageError("pki init", `--party ${spec.partyId} is given twice`);
    seen.add(spec.partyId);
  }
  return specs;
}

/** A file-name-safe form of a party id: `EU.EORI.NL000000001`, `did_ishare_EU.NL.NTRNL-1`. */
export const partyFileStem = (partyId: string): string => partyId.replace(/[^A-Za-z0-9._-]/g, "_");

const DAY_MS = 86_400_000;

/** Generates the CAs and the parties' keys and certificates, and writes them to `dir`; returns the paths. */
export async function writePartyPki(
  dir: string,
  parties: readonly PartySpec[],
  now = new Date(),
): Promise<string[]> {
  const {
    createCertificate,
    generateRsaKeyPair,
    ISSUING_CA_SUBJECT,
    partySubject,
    privateKeyToPem,
    ROOT_CA_SUBJECT,
    toPem,
  } = await import("../pki/index.ts");
  const notBefore = new Date(now.getTime() - DAY_MS);
  const [rootKeys, issuingKeys, ...partyKeys] = await Promise.all(
    [undefined, undefined, ...parties].map(() => generateRsaKeyPair(2048)),
  );
  const rootCert = await createCertificate({
    subject: ROOT_CA_SUBJECT,
    subjectKeys: rootKeys!,
    notBefore,
    notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    ca: {},
  });
  const issuingCert = await createCertificate({
    subject: ISSUING_CA_SUBJECT,
    subjectKeys: issuingKeys!,
    issuer: { privateKey: rootKeys!.privateKey, certificate: rootCert },
    notBefore,
    notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    ca: { pathLength: 0 },
  });
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, text: string, secret = false): Promise<void> => {
    const path = join(dir, name);
    await writeFile(path, text, secret ? { mode: 0o600 } : {});
    if (secret) await chmod(path, 0o600);
    written.push(path);
  };
  await put("root.pem", toPem(rootCert));
  await put("root.key.pem", privateKeyToPem(rootKeys!.privateKey), true);
  await put("issuing-ca.pem", toPem(issuingCert));
  await put("issuing-ca.key.pem", privateKeyToPem(issuingKeys!.privateKey), true);
  await put(ISSUER_CHAIN_FILE, toPem(issuingCert) + toPem(rootCert));
  for (const [index, party] of parties.entries()) {
    const keys = partyKeys[index]!;
    const leaf = await createCertificate({
      subject: partySubject(party.partyId, party.name),
      subjectKeys: keys,
      issuer: { privateKey: issuingKeys!.privateKey, certificate: issuingCert },
      notBefore,
      notAfter: new Date(now.getTime() + 730 * DAY_MS),
    });
    const stem = partyFileStem(party.partyId);
    await put(`${stem}.key.pem`, privateKeyToPem(keys.privateKey), true);
    await put(`${stem}.chain.pem`, [leaf, issuingCert, rootCert].map(toPem).join(""));
  }
  return written;
}
