/**
 * Warnings about private key files that others can read: a signing key readable by the group or by every
 * user of the machine is a key others may already have. POSIX permissions only (skipped on Windows).
 */
import { statSync } from "node:fs";
import type { TargetConfig } from "../config/targets.ts";

/** Every private key file a target's configuration names, with its key path. */
export function keyFilesOf(config: TargetConfig): Array<{ readonly path: string; readonly at: string }> {
  const at = `targets.${config.name}`;
  const files: Array<{ path: string; at: string }> = [];
  if (config.http?.tls) files.push({ path: config.http.tls.key, at: `${at}.http.tls.key` });
  if (config.kind === "builtin") return files;
  files.push({ path: config.client.key, at: `${at}.client.key` });
  if (config.client.issuer) files.push({ path: config.client.issuer.key, at: `${at}.client.issuer.key` });
  for (const [name, credential] of Object.entries(config.client.credentials ?? {})) {
    files.push({ path: credential.key, at: `${at}.client.credentials.${name}.key` });
  }
  for (const [name, identity] of Object.entries(config.identities)) {
    files.push({ path: identity.key, at: `${at}.identities.${name}.key` });
  }
  const serviceProvider = config.delegation?.serviceProvider;
  if (serviceProvider) files.push({ path: serviceProvider.key, at: `${at}.delegation.serviceProvider.key` });
  return files;
}

/** One warning per key file whose mode lets the group or others read it. */
export function keyFileWarnings(
  files: ReadonlyArray<{ readonly path: string; readonly at: string }>,
  platform: NodeJS.Platform = process.platform,
): string[] {
  if (platform === "win32") return [];
  const warnings: string[] = [];
  for (const { path, at } of new Map(files.map((file) => [file.path, file])).values()) {
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      continue; // unreadable files are reported as configuration errors when the key is loaded
    }
    if ((mode & 0o077) !== 0) {
      const who = (mode & 0o007) !== 0 ? "every user of this machine" : "its group";
      warnings.push(
        `private key ${path} (${at}) is readable by ${who} (mode ${mode.toString(8).padStart(3, "0")}): run chmod 600 ${path}`,
      );
    }
  }
  return warnings;
}
