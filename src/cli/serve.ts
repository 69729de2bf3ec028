/** `serve`: the reference target in the foreground, for testing it as an external target (or poking at it). */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { defectIdentityKey } from "../assertions/certificate-mint.ts";
import { CREDENTIAL_DEFECTS } from "../config/targets.ts";
import { ISHARE_VERSIONS } from "../model/target.ts";
import type { TestPki } from "../pki/index.ts";
import { TEST_PKI_FILES } from "../pki/test-pki-files.ts";
import { choiceOption, integerOption, listOption, noPositionals, parseCommand, usageError } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";
import { listenForInterrupt, whenAborted } from "./interrupt.ts";
import { ISSUER_CHAIN_FILE } from "./party-pki.ts";
import { displayPath } from "./pki.ts";

/**
 * The client's registered variants that the entry names as identities: the certificate cases that cannot mint
 * their signer from the client's own chain (the attack chains can) and are not client.credentials.
 */
const SERVED_VARIANTS = [
  "ca-leaf",
  "leaf-without-signing-usage",
  "alg-es256",
  "expired-intermediate",
] as const;

/** Mask files written next to the PKI: the Permit and Deny masks of the reference target's test policy. */
export const MASK_FILES = { permit: "permit-mask.json", deny: "deny-mask.json" } as const;

/** Policy creation requests written next to the PKI from iSHARE 2.1 (`/delegationPolicy`). */
export const POLICY_REQUEST_FILES = {
  accepted: "policy-request.json",
  refused: "refused-policy-request.json",
} as const;

/** Facts about a served reference target, for the targets.yaml entry. */
export interface ServedTarget {
  readonly name: string;
  readonly baseUrl: string;
  readonly partyId: string;
  readonly version: string;
  /** Every role the reference target plays. */
  readonly roles: readonly string[];
  readonly endpoints: Readonly<Record<string, string>>;
  readonly pkiDir: string;
  readonly parties: Readonly<Record<string, string>>;
  /** An access token the target issued and that has expired (DELEG-003); useless to anyone. */
  readonly expiredToken?: string;
  /** Over HTTPS: the CA of the target's TLS certificate (the test root), for http.extraCa. */
  readonly tlsCa?: string;
  /** The Identity Provider: its test user and the userinfo mask files (the entry's `oidc:` block). */
  readonly oidc?: {
    readonly fields: { readonly username: string; readonly password: string };
    readonly username: string;
    readonly password: string;
  };
}

/** The userinfo masks of the served Identity Provider, written next to the PKI. */
export const USERINFO_MASK_FILES = {
  permit: "userinfo-permit-mask.json",
  deny: "userinfo-deny-mask.json",
} as const;

/** Writes the served target's Permit and Deny masks as `files` (default the {@link MASK_FILES}) in `dir`. */
export async function writeDelegationMasks(
  dir: string,
  masks: { readonly permit: unknown; readonly deny: unknown },
  files: { readonly permit: string; readonly deny: string } = MASK_FILES,
): Promise<void> {
  await writeFile(join(dir, files.permit), `${JSON.stringify(masks.permit, null, 2)}\n`);
  await writeFile(join(dir, files.deny), `${JSON.stringify(masks.deny, null, 2)}\n`);
}

/** A targets.yaml fragment (`targets:` plus one entry) describing the served target as an external one. */
export function targetsEntryYaml(served: ServedTarget): string {
  const identity = (role: string) => ({
    partyId: served.parties[role],
    key: join(served.pkiDir, `${role}.key.pem`),
    certificates: join(served.pkiDir, `${role}.chain.pem`),
  });
  const entry = {
    partyId: served.partyId,
    version: served.version,
    baseUrl: served.baseUrl,
    roles: [...served.roles],
    endpoints: { ...served.endpoints },
    client: {
      ...identity("client"),
      // Ready-made certificates, the way a participant of a real network supplies them (no minting).
      credentials: Object.fromEntries(
        Object.entries(CREDENTIAL_DEFECTS).map(([key, defect]) => [
          key,
          {
            key: join(served.pkiDir, `client-${defect}.key.pem`),
            certificates: join(served.pkiDir, `client-${defect}.chain.pem`),
          },
        ]),
      ),
    },
    // identities.serviceProvider doubles as the delegation service provider.
    identities: {
      ...Object.fromEntries(
        ["unregistered", "notActive", "serviceProvider", "entitledParty"].map((role) => [
          role,
          identity(role),
        ]),
      ),
      // The party the reference registry lets create parties (2.x /ep_creation): the registry itself.
      registrar: identity("reference"),
      // Ready-made certificates for the other certificate cases (ca-leaf, a signer without signing usage, an
      // expired intermediate — whose chain needs the root CA's key —, ...): a served target only accepts the
      // client's registered certificates, so minted ones would leave those cases not judged.
      ...Object.fromEntries(
        SERVED_VARIANTS.map((variant) => [
          defectIdentityKey(variant),
          {
            partyId: served.parties["client"],
            key: join(served.pkiDir, TEST_PKI_FILES.variantKey(variant)),
            certificates: join(served.pkiDir, TEST_PKI_FILES.variantChain(variant)),
          },
        ]),
      ),
    },
    delegation: {
      permitMask: join(served.pkiDir, MASK_FILES.permit),
      denyMask: join(served.pkiDir, MASK_FILES.deny),
      denyAnswer: "deny",
      ...(served.version === "2.0"
        ? {}
        : {
            policyRequest: join(served.pkiDir, POLICY_REQUEST_FILES.accepted),
            refusedPolicyRequest: join(served.pkiDir, POLICY_REQUEST_FILES.refused),
          }),
    },
    ...(served.oidc !== undefined
      ? {
          oidc: {
            // The test user exists only in this served target and gets a new password at every start.
            login: {
              driver: "form",
              fields: { ...served.oidc.fields },
              username: served.oidc.username,
              password: served.oidc.password,
            },
            userinfo: {
              permitMask: join(served.pkiDir, USERINFO_MASK_FILES.permit),
              denyMask: join(served.pkiDir, USERINFO_MASK_FILES.deny),
            },
            // iSHARE 3.0: request objects are encrypted to the IdP's certificate.
            ...(served.version === "3.0"
              ? { encryptionCertificate: join(served.pkiDir, "reference.chain.pem") }
              : {}),
          },
        }
      : {}),
    ...(served.expiredToken !== undefined ? { expiredToken: served.expiredToken } : {}),
    trust: { anchors: join(served.pkiDir, "root.pem") },
    ...(served.tlsCa !== undefined ? { http: { extraCa: served.tlsCa } } : {}),
  };
  return stringify({ targets: { [served.name]: entry } }, { lineWidth: 0 });
}

/**
 * Writes `client-unregistered-certificate.{key,chain}.pem` next to the test PKI: a valid certificate for the
 * client from the issuing CA that the reference's registry does not list (the entry's credentials for TOKEN-044).
 */
export async function writeUnregisteredCertificate(pki: TestPki, pkiDir: string): Promise<void> {
  const { issuerMaterial, mintCertificate, privateKeyToPem, toPem } = await import("../pki/index.ts");
  const unregistered = await mintCertificate(
    issuerMaterial(pki),
    "fresh-key",
    pki.parties.client.partyId,
    "ABC Trucking (second, unregistered certificate)",
    new Date(),
  );
  await writeFile(
    join(pkiDir, "client-unregistered-certificate.key.pem"),
    privateKeyToPem(unregistered.privateKey),
    {
      mode: 0o600,
    },
  );
  await writeFile(
    join(pkiDir, "client-unregistered-certificate.chain.pem"),
    unregistered.chain.map(toPem).join(""),
  );
}

export const serveCommand: Command = {
  name: "serve",
  summary: "Run the reference target in the foreground (test it as an external target)",
  usage: `Usage: ishare-conformance serve [--fault NAME]... [--version 2.0|2.1|3.0] [--pki-dir DIR] [--port N]
                                [--name NAME] [--write FILE]

Starts the built-in reference target on 127.0.0.1 until Ctrl-C (SIGINT) or SIGTERM, writes its test
PKI and its delegation masks to a folder and prints a complete targets.yaml entry for it as an external
target (every role it plays, its endpoints, the client with its issuer CA, every identity, the masks,
an expired token, the trust anchor), so that "run --target served" tests it over a real socket like any
other party and no case is skipped for want of configuration.

Options:
  --fault NAME     plant a fault (repeatable; "ishare-conformance faults" lists them)
  --version V      iSHARE version whose rules the target follows (default 2.0)
  --pki-dir DIR    where to write the test PKI (default: a new temporary folder)
  --port N         port to listen on (default: any free port)
  --name NAME      the entry's name (default: served)
  --write FILE     also write the entry to FILE (a targets file for --targets FILE)`,
  async run(args, io) {
    const { values, positionals } = parseCommand("serve", args, {
      fault: { type: "string", multiple: true },
      version: { type: "string" },
      "pki-dir": { type: "string" },
      port: { type: "string" },
      name: { type: "string" },
      write: { type: "string" },
    });
    noPositionals("serve", positionals);
    const name = values.name ?? "served";
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw usageError("serve", `--name must be letters, digits, ".", "_" or "-", got "${name}"`);
    }
    const version = choiceOption("serve", "version", values.version, ISHARE_VERSIONS) ?? "2.0";
    const port = integerOption("serve", "port", values.port, 0, 65_535);
    const { generateTestPki, TEST_PARTY_ROLES, toPem, writeTestPki } = await import("../pki/index.ts");
    const { FAULTS, isFaultName, serverCertificate, startReferenceTarget, tlsChaosCertificate } =
      await import("../reference/index.ts");
    const { REFERENCE_ROLES } = await import("./builtin-target.ts");
    const faults = listOption(values.fault);
    const unknown = faults.filter((name) => !isFaultName(name));
    if (unknown.length > 0) {
      throw usageError(
        "serve",
        `unknown fault ${unknown.map((n) => `"${n}"`).join(", ")} (${Object.keys(FAULTS).length} exist: see "ishare-conformance faults")`,
      );
    }

    const pkiDir = values["pki-dir"]
      ? resolve(io.cwd, values["pki-dir"])
      : await mkdtemp(join(tmpdir(), "ishare-reference-pki-"));
    const pki = await generateTestPki();
    await writeTestPki(pki, pkiDir);
    await writeFile(
      join(pkiDir, ISSUER_CHAIN_FILE),
      toPem(pki.issuing.certificate) + toPem(pki.root.certificate),
    );
    await writeUnregisteredCertificate(pki, pkiDir);

    // A TLS chaos fault serves HTTPS with that broken certificate.
    const tlsKind = tlsChaosCertificate(faults);
    const tls = tlsKind ? await serverCertificate(tlsKind, pki.issuing, Date.now()) : undefined;

    const interrupt = listenForInterrupt(io);
    try {
      const server = await startReferenceTarget({
        pki,
        faults: faults.filter(isFaultName),
        version,
        ...(port !== undefined ? { port } : {}),
        ...(tls ? { tls } : {}),
      });
      const parties = Object.fromEntries(TEST_PARTY_ROLES.map((role) => [role, pki.parties[role].partyId]));
      await writeFile(
        join(pkiDir, MASK_FILES.permit),
        `${JSON.stringify(server.delegationMasks.permit, null, 2)}\n`,
      );
      await writeFile(
        join(pkiDir, MASK_FILES.deny),
        `${JSON.stringify(server.delegationMasks.deny, null, 2)}\n`,
      );
      if (version !== "2.0") {
        for (const name of ["accepted", "refused"] as const) {
          await writeFile(
            join(pkiDir, POLICY_REQUEST_FILES[name]),
            `${JSON.stringify(server.policyRequests[name], null, 2)}\n`,
          );
        }
      }
      const idp = server.identityProvider;
      await writeDelegationMasks(pkiDir, idp.userinfoMasks, USERINFO_MASK_FILES);
      const served: ServedTarget = {
        name,
        baseUrl: server.baseUrl,
        partyId: server.partyId,
        version,
        roles: [...REFERENCE_ROLES, "IdentityProvider"],
        oidc: { fields: idp.loginFields, username: idp.user.username, password: idp.user.password },
        endpoints: server.endpoints,
        pkiDir,
        parties,
        expiredToken: server.expiredToken,
        ...(tls ? { tlsCa: join(pkiDir, "root.pem") } : {}),
      };
      const faultNote = faults.length > 0 ? ` with faults ${faults.join(", ")}` : " (conformant, no faults)";
      io.stdout.write(`Reference target (iSHARE ${version}, party ${server.partyId})${faultNote}\n`);
      io.stdout.write(`Listening on ${server.baseUrl}\n`);
      for (const [key, path] of Object.entries(server.endpoints)) {
        io.stdout.write(`  ${key.padEnd(13)} ${server.baseUrl}${path}\n`);
      }
      io.stdout.write(`Test PKI written to ${displayPath(io.cwd, pkiDir)}\n\n`);
      const yamlText = targetsEntryYaml(served);
      if (values.write !== undefined) {
        const file = resolve(io.cwd, values.write);
        await writeFile(file, yamlText);
        io.stdout.write(
          `targets file written to ${displayPath(io.cwd, file)} (run --targets ${displayPath(io.cwd, file)} --target ${name})\n`,
        );
      }
      io.stdout.write(`targets.yaml entry (merge into your targets.yaml, then: run --target ${name}):\n\n`);
      io.stdout.write(yamlText);
      io.stdout.write("\nPress Ctrl-C to stop.\n");
      await whenAborted(interrupt.signal);
      await server.close();
      io.stdout.write("Reference target stopped.\n");
      return EXIT.ok;
    } finally {
      interrupt.dispose();
    }
  },
};
