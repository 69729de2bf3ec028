import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { choiceOption, integerOption, listOption, noPositionals, parseCommand } from "./args.ts";

const usage = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("parseCommand", () => {
  const options = { target: { type: "string" }, json: { type: "boolean" } } as const;

  it("parses known options", () => {
    const { values } = parseCommand("run", ["--target", "ar", "--json"], options);
    expect(values).toEqual({ target: "ar", json: true });
  });

  it("names an unknown option and where help is", () => {
    const error = usage(() => parseCommand("run", ["--tagret", "ar"], options));
    expect(error.code).toBe("USAGE");
    expect(error.message).toBe('run: unknown option --tagret (see "ishare-conformance run --help")');
  });

  it("says when an option lacks its value", () => {
    const error = usage(() => parseCommand("run", ["--target"], options));
    expect(error.code).toBe("USAGE");
    expect(error.message).toMatch(/^run: option --target <value> needs a value/);
  });

  it("refuses stray positional arguments", () => {
    const { positionals } = parseCommand("run", ["extra"], options);
    const error = usage(() => noPositionals("run", positionals));
    expect(error.message).toBe('run: unexpected argument "extra" (see "ishare-conformance run --help")');
  });
});

describe("option values", () => {
  it("accepts whole numbers in range and refuses the rest", () => {
    expect(integerOption("run", "concurrency", "8", 1, 64)).toBe(8);
    expect(integerOption("run", "concurrency", undefined, 1, 64)).toBeUndefined();
    for (const bad of ["0", "65", "2.5", "four", "-1"]) {
      const error = usage(() => integerOption("run", "concurrency", bad, 1, 64));
      expect(error.code).toBe("USAGE");
      expect(error.message).toContain(`--concurrency must be a whole number from 1 to 64, got "${bad}"`);
    }
  });

  it("splits comma lists and repeated options", () => {
    expect(listOption(["token,capabilities", " parties "])).toEqual(["token", "capabilities", "parties"]);
    expect(listOption(undefined)).toEqual([]);
  });

  it("lists the allowed choices", () => {
    expect(choiceOption("serve", "version", "2.1", ["2.0", "2.1"])).toBe("2.1");
    const error = usage(() => choiceOption("serve", "version", "4", ["2.0", "2.1"]));
    expect(error.message).toContain('--version must be one of 2.0, 2.1, got "4"');
  });
});
