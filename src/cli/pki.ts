/** `pki init`: writes a fresh throw-away test PKI (CAs and party keys/chains) to a folder. */
import { relative, resolve } from "node:path";
import { noPositionals, parseCommand, usageError } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";

/** A path as the user would type it from `cwd`. */
export const displayPath = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
};

export const pkiCommand: Command = {
  name: "pki",
  summary: "pki init: write a throw-away test PKI (root, issuing CA, party keys and chains)",
  usage: `Usage: ishare-conformance pki init [--dir DIR]

Generates a test PKI — a root CA, an issuing CA and one key + certificate chain per test party
(reference, client, serviceProvider, entitledParty, notActive, unregistered) — and writes it as PEM
files. Keys are written with mode 0600 and never printed. For testing only: trusted by nothing real.

Options:
  --dir DIR   output folder (default: ./pki)`,
  async run(args, io) {
    const { values, positionals } = parseCommand("pki", args, { dir: { type: "string" } });
    const [sub, ...rest] = positionals;
    if (sub !== "init") {
      throw usageError(
        "pki",
        sub === undefined ? "missing subcommand (pki init)" : `unknown subcommand "${sub}"`,
      );
    }
    noPositionals("pki init", rest);
    const dir = resolve(io.cwd, values.dir ?? "pki");
    const { generateTestPki, TEST_PARTY_ROLES, writeTestPki } = await import("../pki/index.ts");
    const pki = await generateTestPki();
    const written = await writeTestPki(pki, dir);
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
