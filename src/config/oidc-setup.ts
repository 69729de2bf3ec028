/**
 * Reads targets.yaml `oidc:` of an IdentityProvider target into the typed set-up the OIDC cases use: endpoint
 * defaults, login driver and credentials, the userinfo masks (validated delegation masks) and the 3.0
 * encryption certificate. Every mistake is a ConfigError naming the file and the key.
 */
import type { X509Certificate } from "@peculiar/x509";
import { type DelegationMask, readMask } from "../delegation/index.ts";
import { ConfigError } from "../errors.ts";
import { DEFAULT_OIDC_ENDPOINTS, type OidcSetup } from "../model/oidc.ts";
import { readCertificateFile } from "../pki/index.ts";
import { readRegularFile } from "./regular-file.ts";
import type { OidcConfig } from "./targets.ts";

/**
 * A userinfo mask: a delegation mask whose accessSubject the harness replaces by the human's pseudonym (the
 * sub of the id_token) before sending it, so the file's own accessSubject is not checked.
 */
export function loadUserinfoMask(file: string, at: string): DelegationMask {
  const where = `${file} (${at})`;
  let value: unknown;
  try {
    // A regular file only: a FIFO would block the run forever.
    value = JSON.parse(readRegularFile(file));
  } catch (error) {
    const reason = (error as Error).message;
    throw new ConfigError(
      "CONFIG",
      `${where}: cannot read the mask (${reason}); check the path and the JSON`,
      {
        cause: error,
      },
    );
  }
  const read = readMask(value);
  if (!read.ok) {
    throw new ConfigError("CONFIG", `${where}: not a valid delegation mask: ${read.problems.join("; ")}`);
  }
  return read.value;
}

/** Resolves `oidc:` of target `name` (file = targets.yaml, for messages). */
export async function resolveOidcSetup(oidc: OidcConfig, name: string, file: string): Promise<OidcSetup> {
  const at = `targets.${name}.oidc`;
  let encryptionCertificate: X509Certificate | undefined;
  if (oidc.encryptionCertificate) {
    try {
      [encryptionCertificate] = await readCertificateFile(oidc.encryptionCertificate);
    } catch (error) {
      throw new ConfigError(
        "CONFIG",
        `${oidc.encryptionCertificate} (${at}.encryptionCertificate in ${file}): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return {
    endpoints: { ...DEFAULT_OIDC_ENDPOINTS, ...oidc.endpoints },
    login: {
      driver: oidc.login.driver ?? "form",
      fields: {
        username: oidc.login.fields?.username ?? "username",
        password: oidc.login.fields?.password ?? "password",
      },
      username: oidc.login.username,
      password: oidc.login.password,
    },
    ...(oidc.userinfo
      ? {
          userinfoMasks: {
            permit: loadUserinfoMask(oidc.userinfo.permitMask, `${at}.userinfo.permitMask in ${file}`),
            deny: loadUserinfoMask(oidc.userinfo.denyMask, `${at}.userinfo.denyMask in ${file}`),
          },
        }
      : {}),
    ...(encryptionCertificate ? { encryptionCertificate } : {}),
  };
}
