/** Strict command-line parsing on node:util parseArgs; every mistake becomes a one-line usage ConfigError. */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { ConfigError } from "../errors.ts";

export type OptionsSpec = NonNullable<ParseArgsConfig["options"]>;

/** Hint appended to usage errors. */
export const helpHint = (command: string): string =>
  command === "" ? `see "ishare-conformance --help"` : `see "ishare-conformance ${command} --help"`;

/** A usage error (exit code 2) for `command`, ending with where to find help. */
export function usageError(command: string, problem: string): ConfigError {
  const prefix = command === "" ? "" : `${command}: `;
  return new ConfigError("USAGE", `${prefix}${problem} (${helpHint(command)})`);
}

/**
 * Parses `args` strictly: unknown options, missing values and unexpected positionals are usage errors.
 * Positionals are returned for the caller to check.
 */
export function parseCommand<const O extends OptionsSpec>(
  command: string,
  args: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(command, describeParseError(error));
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted) return `unknown option ${quoted}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && quoted) {
    return /argument missing/.test(message)
      ? `option ${quoted} needs a value`
      : `option ${quoted} takes no value`;
  }
  // Node's messages carry a second sentence of advice about "--"; keep the first one.
  return message.split(". ")[0] ?? message;
}

/** Fails when a command that takes no positional arguments got some. */
export function noPositionals(command: string, positionals: readonly string[]): void {
  const [first] = positionals;
  if (first !== undefined) throw usageError(command, `unexpected argument "${first}"`);
}

/** An integer option within [min, max], or undefined when absent. */
export function integerOption(
  command: string,
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw usageError(command, `--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

/** Values of a repeatable, comma-separable option (`--suite token,capabilities --suite parties`). */
export function listOption(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

/** One of the allowed values, or a usage error listing them. */
export function choiceOption<const T extends string>(
  command: string,
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(command, `--${name} must be one of ${allowed.join(", ")}, got "${value}"`);
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * A duration option in milliseconds: `500ms`, `90s`, `30m`, `1h`, or a bare number of seconds; undefined
 * when absent. Outside [minMs, maxMs] or unparsable: a usage error showing the accepted forms.
 */
export function durationOption(
  command: string,
  name: string,
  value: string | undefined,
  minMs: number,
  maxMs: number,
): number | undefined {
  if (value === undefined) return undefined;
  const match = DURATION.exec(value.trim());
  const ms = match ? Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? "s"] ?? 1000)) : Number.NaN;
  if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) {
    throw usageError(
      command,
      `--${name} must be a duration from ${minMs} ms to ${maxMs / 3_600_000} h such as 90s, 10m or 500ms, got "${value}"`,
    );
  }
  return ms;
}
