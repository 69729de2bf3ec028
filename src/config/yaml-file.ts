/** Reads a YAML file into plain data, turning every I/O or syntax problem into a ConfigError naming the file. */
import { parseDocument } from "yaml";
import { ConfigError } from "../errors.ts";
import { readRegularFile, UnreadableFileError } from "./regular-file.ts";

/** Reads and parses `file`; `kind` selects the error code (CONFIG for targets, SUITE for suites). */
export function readYamlFile(file: string, kind: "CONFIG" | "SUITE"): unknown {
  let text: string;
  try {
    text = readRegularFile(file);
  } catch (error) {
    const reason = error instanceof UnreadableFileError ? error.reason : String(error);
    throw new ConfigError(kind, `${file}: cannot read (${reason}); check the path`, { cause: error });
  }
  return parseYamlText(text, file, kind);
}

/** Parses YAML text; syntax errors name the file, line and column. */
export function parseYamlText(text: string, file: string, kind: "CONFIG" | "SUITE"): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const position = first.linePos?.[0];
    const where = position ? `:${position.line}:${position.col}` : "";
    throw new ConfigError(
      kind,
      `${file}${where}: invalid YAML (${first.message.split("\n")[0]}); fix the syntax at that line`,
    );
  }
  try {
    return document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    // yaml's guard against alias bombs ("billion laughs"): a ReferenceError, not a syntax error.
    throw new ConfigError(
      kind,
      `${file}: the YAML expands too far (${(error as Error).message}: aliases used more than 100 times, a YAML alias bomb?); write the values out instead of nesting aliases`,
    );
  }
}
