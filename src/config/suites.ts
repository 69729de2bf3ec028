/**
 * Loads suites/*.yaml and suites/refs.yaml. A suite file is validated against schemas/suite.schema.json and then
 * cross-checked (known checks with valid parameters, known refs, requests, defects, unique ids), so that a typo
 * is an error naming the file and the key path, never a silently passing case.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { ASSERTION_DEFECTS } from "../assertions/index.ts";
import { CHECKS } from "../checks/index.ts";
import { ConfigError } from "../errors.ts";
import { FIELD_NAMES, isVersionedField } from "../model/field-names.ts";
import type { RuleRef, Severity } from "../model/result.ts";
import type { CheckUse, RequestTemplate, Suite, SuiteCase, SuiteStep } from "../model/suite.ts";
import { ISHARE_VERSIONS } from "../model/target.ts";
import { fieldPlaceholdersIn } from "./field-placeholders.ts";
import { describeSchemaErrors, schemaRegistry, validatorFor } from "./schemas.ts";
import { readYamlFile } from "./yaml-file.ts";

/** The package's suites/ folder. */
export const SUITES_DIR = fileURLToPath(new URL("../../suites/", import.meta.url));
const REFS_FILE = "refs.yaml";

type RawCheck = {
  check: string;
  with?: unknown;
  severity?: Severity;
  ref?: string;
  note?: string;
  versions?: CheckUse["versions"];
};
type RawStep = Omit<SuiteStep, "as" | "expect"> & { as?: string; expect: Array<RawCheck | RawCheck[]> };
type RawCase = Omit<SuiteCase, "ref" | "steps"> & { ref: string; steps: RawStep[] };
type RawSuite = Omit<Suite, "cases" | "file" | "requests"> & {
  requests?: Suite["requests"];
  anchors?: unknown;
  cases: RawCase[];
};

/** Loads the rule-reference catalogue. */
export function loadRefs(dir: string = SUITES_DIR): ReadonlyMap<string, RuleRef> {
  const file = join(dir, REFS_FILE);
  const raw = readYamlFile(file, "SUITE");
  const validate = validatorFor("refs");
  if (!validate(raw))
    throw new ConfigError("SUITE", `${file}: ${describeSchemaErrors(validate.errors).join("; ")}`);
  const refs = (raw as { refs: Record<string, Omit<RuleRef, "key">> }).refs;
  return new Map(Object.entries(refs).map(([key, ref]) => [key, { key, ...ref }]));
}

const paramValidators = new Map<string, ValidateFunction>();

function paramsValidator(checkName: string): ValidateFunction | undefined {
  const check = CHECKS.get(checkName);
  if (!check) return undefined;
  let validate = paramValidators.get(checkName);
  if (!validate) {
    validate = schemaRegistry().compile(check.params);
    paramValidators.set(checkName, validate);
  }
  return validate;
}

/** Loads and validates every suite in `dir` (all *.yaml but refs.yaml), sorted by suite id. */
/** Suites already loaded, by folder, with the files' names, sizes and times they were read from. */
const loaded = new Map<string, { stamp: string; suites: Suite[] }>();

/** What identifies the folder's content for the cache: every YAML file's name, size and mtime. */
function folderStamp(absolute: string, files: readonly string[]): string | undefined {
  try {
    return files
      .map((f) => {
        const stats = statSync(join(absolute, f));
        return `${f}\u0000${stats.size}\u0000${stats.mtimeMs}`;
      })
      .join("\u0001");
  } catch {
    return undefined;
  }
}

/**
 * The suites of `dir`, validated (schema, refs, unique ids, controls). Parsed once per process while the files
 * stay unchanged: a run, its pre-flight and the proofs load them many times (it was 0.5 s of CPU per run).
 */
export function loadSuites(dir: string = SUITES_DIR): Suite[] {
  const absolute = resolve(dir);
  let files: string[];
  try {
    files = readdirSync(absolute)
      .filter((f) => f.endsWith(".yaml"))
      .sort();
  } catch (error) {
    throw new ConfigError("SUITE", `${absolute}: cannot read the suites folder (${String(error)})`, {
      cause: error,
    });
  }
  const stamp = folderStamp(absolute, files);
  const cached = loaded.get(absolute);
  if (stamp !== undefined && cached?.stamp === stamp) return cached.suites;
  const suites = parseSuites(
    absolute,
    files.filter((f) => f !== REFS_FILE),
  );
  if (stamp !== undefined) loaded.set(absolute, { stamp, suites });
  return suites;
}

function parseSuites(absolute: string, files: readonly string[]): Suite[] {
  const refs = loadRefs(absolute);
  const suites = files.map((f) => loadSuiteFile(join(absolute, f), refs));
  const seen = new Map<string, string>();
  for (const suite of suites) {
    for (const c of suite.cases) {
      const other = seen.get(c.id);
      if (other) throw new ConfigError("SUITE", `${suite.file}: case id ${c.id} is also used in ${other}`);
      seen.set(c.id, suite.file);
    }
  }
  const names = new Set<string>();
  for (const suite of suites) {
    if (names.has(suite.suite))
      throw new ConfigError("SUITE", `${suite.file}: suite id "${suite.suite}" is used twice`);
    names.add(suite.suite);
  }
  assertControls(suites);
  return suites;
}

/** The endpoint key a step sends to (its mutation's, else its base request's). */
function endpointOf(suite: Suite, step: SuiteStep): string | undefined {
  return step.mutate?.endpoint ?? suite.requests[step.request]?.endpoint;
}

/**
 * Every negative case names a positive control: a case that exists, is tagged positive, sends to the same
 * endpoint and runs on every version the negative runs on; a positive case names none.
 */
function assertControls(suites: readonly Suite[]): void {
  const byId = new Map(suites.flatMap((suite) => suite.cases.map((c) => [c.id, { suite, c }] as const)));
  for (const suite of suites) {
    for (const [ci, c] of suite.cases.entries()) {
      const at = `${suite.file}: cases[${ci}] (${c.id}).control`;
      const negative = c.tags.includes("negative");
      if (!negative) {
        if (c.control !== undefined)
          throw new ConfigError("SUITE", `${at}: only a negative case names a positive control`);
        continue;
      }
      if (c.control === undefined) {
        throw new ConfigError(
          "SUITE",
          `${at}: a negative case must name its positive control (the same request without the mutation), e.g. control: ${suite.cases.find((other) => other.tags.includes("positive"))?.id ?? "TOKEN-001"}`,
        );
      }
      const found = byId.get(c.control);
      if (!found) throw new ConfigError("SUITE", `${at}: no case has the id ${c.control}`);
      if (!found.c.tags.includes("positive"))
        throw new ConfigError("SUITE", `${at}: ${c.control} is not a positive case`);
      // The negative's first exchange is the mutated one; its control must send the valid request to that
      // endpoint in one of its steps (an OIDC control reaches userinfo only after the login flow).
      const mine = c.steps[0] ? endpointOf(suite, c.steps[0]) : undefined;
      const theirs = found.c.steps.map((step) => endpointOf(found.suite, step));
      if (!theirs.includes(mine)) {
        throw new ConfigError(
          "SUITE",
          `${at}: ${c.control} sends to the ${theirs[0] ?? "(none)"} endpoint, this case to ${mine ?? "(none)"}; a control sends to the same endpoint`,
        );
      }
      const uncovered = (c.versions ?? ISHARE_VERSIONS).filter(
        (version) => found.c.versions !== undefined && !found.c.versions.includes(version),
      );
      if (uncovered.length > 0) {
        throw new ConfigError(
          "SUITE",
          `${at}: ${c.control} does not run on iSHARE ${uncovered.join(", ")}, where this case runs`,
        );
      }
    }
  }
}

/** Loads one suite file against a refs catalogue. */
export function loadSuiteFile(file: string, refs: ReadonlyMap<string, RuleRef>): Suite {
  const raw = readYamlFile(file, "SUITE");
  const validate = validatorFor("suite");
  if (!validate(raw))
    throw new ConfigError("SUITE", `${file}: ${describeSchemaErrors(validate.errors).join("; ")}`);
  const suite = raw as RawSuite;
  const requests = suite.requests ?? {};
  const problem = (at: string, message: string): never => {
    throw new ConfigError("SUITE", `${file}: ${at}: ${message}`);
  };
  const ref = (key: string, at: string): RuleRef =>
    refs.get(key) ?? problem(at, `unknown ref "${key}" (add it to suites/${REFS_FILE})`);

  const checkPreviousSteps = (template: RequestTemplate | undefined, at: string): void => {
    for (const [index, spec] of (template?.previousSteps ?? []).entries()) {
      for (const defect of spec.defects ?? []) {
        if (!Object.hasOwn(ASSERTION_DEFECTS, defect))
          problem(`${at}.previousSteps[${index}].defects`, `unknown defect "${defect}" (see src/assertions)`);
      }
    }
    for (const defect of template?.policyRequest?.defects ?? []) {
      if (!Object.hasOwn(ASSERTION_DEFECTS, defect))
        problem(`${at}.policyRequest.defects`, `unknown defect "${defect}" (see src/assertions)`);
    }
  };
  for (const [name, template] of Object.entries(requests)) checkPreviousSteps(template, `requests.${name}`);

  const cases = suite.cases.map((c, ci): SuiteCase => {
    const caseAt = `cases[${ci}] (${c.id})`;
    const caseRef = ref(c.ref, `${caseAt}.ref`);
    const stepIds = new Set<string>();
    const steps = c.steps.map((step, si): SuiteStep => {
      const stepAt = `${caseAt}.steps[${si}]`;
      if (!Object.hasOwn(requests, step.request)) {
        problem(
          `${stepAt}.request`,
          `unknown request "${step.request}" (known: ${Object.keys(requests).join(", ")})`,
        );
      }
      checkPreviousSteps(step.mutate, `${stepAt}.mutate`);
      for (const defect of step.assertion?.defects ?? []) {
        if (!Object.hasOwn(ASSERTION_DEFECTS, defect)) {
          problem(`${stepAt}.assertion.defects`, `unknown defect "${defect}" (see src/assertions)`);
        }
      }
      const reuse = step.assertion?.reuse;
      if (reuse !== undefined && !stepIds.has(reuse)) {
        problem(`${stepAt}.assertion.reuse`, `"${reuse}" is not the id of an earlier step`);
      }
      for (const defect of step.requestObject?.defects ?? []) {
        if (!Object.hasOwn(ASSERTION_DEFECTS, defect)) {
          problem(`${stepAt}.requestObject.defects`, `unknown defect "${defect}" (see src/assertions)`);
        }
      }
      const reuseRequest = step.requestObject?.reuse;
      if (reuseRequest !== undefined && !stepIds.has(reuseRequest)) {
        problem(`${stepAt}.requestObject.reuse`, `"${reuseRequest}" is not the id of an earlier step`);
      }
      if (step.id !== undefined) stepIds.add(step.id);
      const expect = step.expect.flat().map((use, ui): CheckUse => {
        const at = `${stepAt}.expect[${ui}]`;
        const validateParams = paramsValidator(use.check);
        if (!validateParams)
          problem(at, `unknown check "${use.check}" (known: ${[...CHECKS.keys()].join(", ")})`);
        else if (!validateParams(use.with ?? {})) {
          problem(
            `${at}.with`,
            `invalid for ${use.check}: ${describeSchemaErrors(validateParams.errors).join("; ")}`,
          );
        }
        return {
          check: use.check,
          ...(use.with !== undefined ? { with: use.with } : {}),
          severity: use.severity ?? "fail",
          ref: use.ref === undefined ? caseRef : ref(use.ref, `${at}.ref`),
          ...(use.note !== undefined ? { note: use.note } : {}),
          ...(use.versions !== undefined ? { versions: use.versions } : {}),
        };
      });
      return { ...step, as: step.as ?? "client", expect };
    });
    return { ...c, ref: caseRef, steps };
  });
  const unknownFields = [...fieldPlaceholdersIn({ requests, cases })].filter(
    (name) => !isVersionedField(name),
  );
  if (unknownFields.length > 0) {
    problem(
      "{{field.…}}",
      `unknown versioned field ${unknownFields.map((n) => `"${n}"`).join(", ")} (known: ${Object.keys(FIELD_NAMES).join(", ")})`,
    );
  }
  const { anchors: _anchors, ...rest } = suite;
  return { ...rest, requests, cases, file };
}
