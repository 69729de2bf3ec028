/** `pki init`: writes a fresh throw-away test PKI (CAs and party keys/chains) to a folder. */
import { writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { noPositionals, parseCommand, usageError } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";
import { ISSUER_CHAIN_FILE, parsePartySpecs, writePartyPki } from "./party-pki.ts";

/** A path as the user would type it from `cwd`. */
export const displayPath = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
};

export const pkiCommand: Command = {
  name: "pki",
  summary: "pki init: write a throw-away test PKI (root, issuing CA, party keys and chains)",
  usage: `Usage: ishare-conformance pki init [--dir DIR] [--party ID[:NAME]]...

Generates a test PKI — a root CA, an issuing CA (with issuing-ca.chain.pem: issuing CA then root, for
targets.yaml's client.issuer.certificates) and one key + certificate chain per party — and writes it as
PEM files. Without --party the parties are the reference target's test parties (reference, client,
serviceProvider, entitledParty, notActive, unregistered); with --party they are yours, files named
after the id (EU.EORI.NL000000001.key.pem, EU.EORI.NL000000001.chain.pem). Keys are written with mode
0600 and never printed. For testing only: trusted by nothing real.

Options:
  --dir DIR            output folder (default: ./pki)
  --party ID[:NAME]    a party to certify, e.g. --party "EU.EORI.NL000000001:ABC Trucking" (repeatable)`,
  async run(args, io) {
    const { values, positionals } = parseCommand("pki", args, {
      dir: { type: "string" },
      party: { type: "string", multiple: true },
    });
    const [sub, ...rest] = positionals;
    if (sub !== "init") {
      throw usageError(
        "pki",
        sub === undefined ? "missing subcommand (pki init)" : `unknown subcommand "${sub}"`,
      );
    }
    noPositionals("pki init", rest);
    const dir = resolve(io.cwd, values.dir ?? "pki");
    if ((values.party ?? []).length > 0) {
      const parties = parsePartySpecs(values.party ?? []);
      const written = await writePartyPki(dir, parties);
      io.stdout.write(`Wrote a test PKI to ${displayPath(io.cwd, dir)}:\n`);
      for (const path of written) io.stdout.write(`  ${displayPath(io.cwd, path)}\n`);
      io.stdout.write("\nParties:\n");
      for (const party of parties) io.stdout.write(`  ${party.partyId.padEnd(22)} ${party.name}\n`);
      io.stdout.write(
        `\nIn targets.yaml: client.key / client.certificates from a party's files, client.issuer from\n` +
          `issuing-ca.key.pem and ${ISSUER_CHAIN_FILE}; the target must trust root.pem.\n` +
          "Private keys (*.key.pem) are for testing only; keep them out of version control.\n",
      );
      return EXIT.ok;
    }
    const { generateTestPki, TEST_PARTY_ROLES, toPem, writeTestPki } = await import("../pki/index.ts");
    const pki = await generateTestPki();
    const written = await writeTestPki(pki, dir);
    // The chain targets.yaml's client.issuer.certificates wants: issuing CA, then root.
    const chain = join(dir, ISSUER_CHAIN_FILE);
    await writeFile(chain, toPem(pki.issuing.certificate) + toPem(pki.root.certificate));
    written.push(chain);
    io.stdout.write(`Wrote a test PKI to ${displayPath(io.cwd, dir)}:\n`);
    for (const path of written) io.stdout.write(`  ${displayPath(io.cwd, path)}\n`);
    io.stdout.write("\nParties:\n");
    for (const role of TEST_PARTY_ROLES) {
      const party = pki.parties[role];
      io.stdout.write(`  ${role.padEnd(16)} ${party.partyId.padEnd(22)} ${party.name}\n`);
    }
    io.stdout.write("\nPrivate keys (*.key.pem) are for testing only; keep them out of version control.\n");
    return EXIT.ok;
  },
};
