/** `${VAR}` substitution in configuration strings, with errors that name the key path and the variable. */
import { ConfigError } from "../errors.ts";

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of `value`, recursively.
 * An unset variable without default is an error naming `file`, the key path and the variable.
 */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  file: string,
  path: readonly string[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      const at = path.length > 0 ? path.join(".") : "(top level)";
      throw new ConfigError(
        "CONFIG",
        `${file}: ${at}: environment variable ${name} is not set (export ${name}=... or write the value in the file)`,
      );
    });
  }
  if (Array.isArray(value))
    return value.map((item, i) => substituteEnv(item, env, file, [...path, `[${i}]`]));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, file, [...path, key])]),
    );
  }
  return value;
}
