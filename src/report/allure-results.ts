/**
 * Writes allure-results (Allure's result-file format) from the run's case results, in the main process
 * after the run: one test per case named `<id> <title>`, labelled target / suite / feature / tags, linked to
 * its rule; one step per HTTP exchange named after the request and its planted defect, with request,
 * response and decoded JWTs (certificates, human-readable times) attached and one sub-step per check.
 * Unmet SHOULDs are marked as warnings, not errors; the failure is stated once, on the case. The run
 * context goes to environment.properties (the report's overview).
 */
import { createHash, randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ASSERTION_DEFECTS, isAssertionDefect } from "../assertions/defects.ts";
import type { CaseResult, CheckResult, StepResult } from "../model/result.ts";
import { readableJwt } from "./jwt-readable.ts";
import { contextProperties, type RunContext } from "./run-context.ts";

/** Allure's statuses; an outcome this build does not know is shown as `unknown`. */
type AllureStatus = "passed" | "failed" | "broken" | "skipped" | "unknown";

interface AllureAttachment {
  readonly name: string;
  readonly source: string;
  readonly type: string;
}

interface AllureParameter {
  readonly name: string;
  readonly value: string;
}

interface AllureStep {
  readonly name: string;
  readonly status: AllureStatus;
  readonly stage: "finished";
  readonly steps: AllureStep[];
  readonly attachments: AllureAttachment[];
  readonly parameters: AllureParameter[];
  readonly start: number;
  readonly stop: number;
}

/** The fields of an Allure test result this writer sets. */
export interface AllureTestResult {
  readonly uuid: string;
  readonly historyId: string;
  readonly testCaseId: string;
  readonly name: string;
  readonly fullName: string;
  readonly status: AllureStatus;
  readonly statusDetails: { readonly message?: string };
  readonly stage: "finished";
  readonly description: string;
  readonly descriptionHtml: string;
  readonly labels: readonly AllureParameter[];
  readonly links: readonly { readonly url: string; readonly name: string; readonly type: "link" }[];
  readonly parameters: readonly AllureParameter[];
  readonly steps: readonly AllureStep[];
  readonly attachments: readonly AllureAttachment[];
  readonly start: number;
  readonly stop: number;
}

/** A case result and the target it ran against. */
export type TargetedResult = CaseResult & { readonly target: string };

const KNOWN: readonly string[] = ["passed", "failed", "broken", "skipped"];
const allureStatus = (status: string): AllureStatus =>
  KNOWN.includes(status) ? (status as AllureStatus) : "unknown";

/** Words for a planted defect: `expired: iat 120 s in the past …`, or the bare name when unknown. */
export const defectInWords = (defect: string): string =>
  isAssertionDefect(defect) ? `${defect}: ${ASSERTION_DEFECTS[defect]}` : defect;

const DEFAULT_STEP_NAME = /^step \d+$/;

/** `POST /connect/token with assertion defect "expired", as notActive` (plus the suite's own step title). */
export function stepTitle(step: StepResult): string {
  let request = step.name;
  if (step.request) {
    let path = step.request.url;
    try {
      const url = new URL(step.request.url);
      path = `${url.pathname}${url.search}`;
    } catch {
      // Not a URL (a harness bug or a redacted value): show it as recorded.
    }
    request = `${step.request.method} ${path}`;
  }
  const parts = [request];
  const defects = step.defects ?? [];
  if (defects.length > 0) {
    const noun = defects.length === 1 ? "defect" : "defects";
    parts.push(`with assertion ${noun} ${defects.map((d) => `"${d}"`).join(", ")}`);
  }
  if (step.as !== undefined) parts.push(`as ${step.as}`);
  const title = parts.join(" ");
  return step.request && !DEFAULT_STEP_NAME.test(step.name) ? `${step.name}: ${title}` : title;
}

/** One check as a sub-step: met (passed), broken MUST (failed), unmet SHOULD (a passed step marked as a warning). */
function checkStep(check: CheckResult, at: number): AllureStep {
  const base = { stage: "finished" as const, steps: [], attachments: [], start: at, stop: at };
  const parameters = [{ name: "rule", value: `${check.ref.title} (${check.ref.section}) ${check.ref.url}` }];
  if (check.ok) return { ...base, name: `✓ ${check.check}: ${check.message}`, status: "passed", parameters };
  if (check.severity === "warn") {
    return {
      ...base,
      name: `⚠ warning (SHOULD) ${check.check}: ${check.message}`,
      status: "passed",
      parameters,
    };
  }
  return { ...base, name: `✗ ${check.check}: ${check.message}`, status: "failed", parameters };
}

/** Markdown description: rule, outcome, what was planted, warnings. */
export function describeCase(result: CaseResult): string {
  const parts = [
    `**Rule:** [${result.ref.title}](${result.ref.url}) — ${result.ref.section} (\`${result.ref.key}\`)`,
    `**Outcome:** ${result.status}${result.message === "" ? "" : ` — ${result.message}`}`,
  ];
  const defects = [...new Set(result.steps.flatMap((step) => step.defects ?? []))];
  if (defects.length > 0) {
    parts.push(`**Sent on purpose:**\n\n${defects.map((d) => `- ${defectInWords(d)}`).join("\n")}`);
  }
  if (result.warnings.length > 0) {
    parts.push(
      `**Warnings (${result.warnings.length}):**\n\n${result.warnings.map((w) => `- ⚠ ${w}`).join("\n")}`,
    );
  }
  return parts.join("\n\n");
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The same description as HTML (the report renders HTML descriptions, not Markdown). */
export function describeCaseHtml(result: CaseResult): string {
  const list = (items: readonly string[]): string =>
    `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
  const parts = [
    `<p><b>Rule:</b> <a href="${escapeHtml(result.ref.url)}">${escapeHtml(result.ref.title)}</a> — ${escapeHtml(result.ref.section)} (<code>${escapeHtml(result.ref.key)}</code>)</p>`,
    `<p><b>Outcome:</b> ${escapeHtml(result.status)}${result.message === "" ? "" : ` — ${escapeHtml(result.message)}`}</p>`,
  ];
  const defects = [...new Set(result.steps.flatMap((step) => step.defects ?? []))];
  if (defects.length > 0) parts.push(`<p><b>Sent on purpose:</b></p>${list(defects.map(defectInWords))}`);
  if (result.warnings.length > 0) {
    parts.push(
      `<p><b>Warnings (${result.warnings.length}):</b></p>${list(result.warnings.map((w) => `⚠ ${w}`))}`,
    );
  }
  return parts.join("\n");
}

/** Body text as an attachment: pretty JSON when it parses, plain text otherwise. */
function bodyAttachment(body: string): { content: string; type: string; ext: string } {
  try {
    return { content: JSON.stringify(JSON.parse(body), null, 2), type: "application/json", ext: "json" };
  } catch {
    return { content: body, type: "text/plain", ext: "txt" };
  }
}

/** Collects attachment files to write beside the results. */
export class Attachments {
  readonly files: { name: string; content: string | Buffer }[] = [];
  add(name: string, content: string | Buffer, type: string, ext: string): AllureAttachment {
    const source = `${randomUUID()}-attachment.${ext}`;
    this.files.push({ name: source, content });
    return { name, source, type };
  }
  json(name: string, value: unknown): AllureAttachment {
    return this.add(name, JSON.stringify(value, null, 2), "application/json", "json");
  }
}

function exchangeStep(step: StepResult, at: number, files: Attachments): AllureStep {
  const attachments: AllureAttachment[] = [];
  if (step.request) attachments.push(files.json("request", step.request));
  if (step.response) {
    const { body, ...head } = step.response;
    attachments.push(files.json("response", head));
    const attached = bodyAttachment(body);
    attachments.push(files.add("response body", attached.content, attached.type, attached.ext));
  }
  for (const jwt of step.jwts) attachments.push(files.json(`JWT: ${jwt.where}`, readableJwt(jwt, at)));
  if (step.retries !== undefined) {
    const retries = step.retries.join("\n");
    attachments.push(
      files.add("retries (connection errors before the answer)", retries, "text/plain", "txt"),
    );
  }
  if (step.hops !== undefined) attachments.push(files.json("login flow (hop by hop)", step.hops));
  for (const shot of step.screenshots ?? []) {
    attachments.push(
      files.add(`screenshot: ${shot.name}`, Buffer.from(shot.pngBase64, "base64"), "image/png", "png"),
    );
  }
  if (step.error !== undefined) attachments.push(files.add("error", step.error, "text/plain", "txt"));
  const failed = step.checks.some((check) => !check.ok && check.severity === "fail");
  const status: AllureStatus = step.error !== undefined ? "broken" : failed ? "failed" : "passed";
  const stop = at + Math.round(step.response?.durationMs ?? 0);
  return {
    name: stepTitle(step),
    status,
    stage: "finished",
    steps: step.checks.map((check) => checkStep(check, stop)),
    attachments,
    parameters: (step.defects ?? []).map((defect) => ({ name: "defect", value: defectInWords(defect) })),
    start: at,
    stop,
  };
}

/** The Allure test of one case (attachments collected into `files`). */
export function allureTestOf(
  result: TargetedResult,
  files: Attachments = new Attachments(),
): AllureTestResult {
  const start = Date.parse(result.startedAt);
  const begin = Number.isFinite(start) ? start : 0;
  const status = allureStatus(result.status);
  const labels: AllureParameter[] = [
    { name: "parentSuite", value: result.target },
    { name: "suite", value: result.suite },
    { name: "feature", value: result.suite },
    { name: "ALLURE_ID", value: result.id },
    { name: "target", value: result.target },
    ...result.tags.map((tag) => ({ name: "tag", value: tag })),
  ];
  return {
    uuid: randomUUID(),
    historyId: createHash("sha256").update(`${result.target}\u0000${result.id}`).digest("hex").slice(0, 32),
    testCaseId: result.id,
    name: `${result.id} ${result.title}`,
    fullName: `${result.target} / ${result.suite} / ${result.id}`,
    status,
    // The failure stated once, here; the steps show which check it was.
    statusDetails: status === "passed" || result.message === "" ? {} : { message: result.message },
    stage: "finished",
    description: describeCase(result),
    descriptionHtml: describeCaseHtml(result),
    labels,
    links: [{ url: result.ref.url, name: result.ref.title, type: "link" }],
    parameters: [],
    steps: result.steps.map((step) => exchangeStep(step, begin, files)),
    attachments: [],
    start: begin,
    stop: begin + Math.round(result.durationMs),
  };
}

/** `key = value` lines of a Java properties file (what Allure reads as the run's environment). */
export function propertiesFile(pairs: readonly (readonly [string, string])[]): string {
  const escaped = (text: string, key: boolean): string =>
    text
      .replace(/\\/g, "\\\\")
      .replace(/\n/g, "\\n")
      .replace(key ? /[=: ]/g : /^ /, (c) => `\\${c}`);
  return pairs.map(([name, value]) => `${escaped(name, true)} = ${escaped(value, false)}\n`).join("");
}

/** Writes every result, its attachments, and environment.properties into `dir` (which must exist). */
export async function writeAllureResults(
  dir: string,
  results: readonly TargetedResult[],
  context: RunContext,
): Promise<void> {
  const files = new Attachments();
  const tests = results.map((result) => allureTestOf(result, files));
  await Promise.all([
    ...tests.map((test) => writeFile(join(dir, `${test.uuid}-result.json`), JSON.stringify(test), "utf8")),
    ...files.files.map((file) =>
      typeof file.content === "string"
        ? writeFile(join(dir, file.name), file.content, "utf8")
        : writeFile(join(dir, file.name), file.content),
    ),
    writeFile(join(dir, "environment.properties"), propertiesFile(contextProperties(context)), "utf8"),
  ]);
}
