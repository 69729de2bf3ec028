/**
 * Records one CaseResult into the Allure runtime of the running vitest test: labels, rule link,
 * description, one step per HTTP exchange (request, response, decoded JWTs) with one sub-step per check.
 */
import * as allure from "allure-js-commons";
import { ContentType, Status } from "allure-js-commons";
import type { PlannedCase } from "../engine/run.ts";
import type { CaseResult, CheckResult, StepResult } from "../model/result.ts";

/** Allure status of a single check: failed MUSTs red, failed SHOULDs yellow. */
export function checkStatus(check: CheckResult): Status {
  if (check.ok) return Status.PASSED;
  return check.severity === "fail" ? Status.FAILED : Status.BROKEN;
}

/** Markdown description: rule, outcome and message, warnings. */
export function describeCase(result: CaseResult): string {
  const parts = [
    `**Rule:** [${result.ref.title}](${result.ref.url}) — ${result.ref.section} (\`${result.ref.key}\`)`,
    `**Outcome:** ${result.status}${result.message === "" ? "" : ` — ${result.message}`}`,
  ];
  if (result.warnings.length > 0) {
    parts.push(
      `**Warnings (${result.warnings.length}):**\n\n${result.warnings.map((w) => `- ${w}`).join("\n")}`,
    );
  }
  return parts.join("\n\n");
}

/** Body text as an attachment: pretty JSON when it parses, plain text otherwise. */
function bodyAttachment(body: string): { content: string; type: ContentType } {
  try {
    return { content: JSON.stringify(JSON.parse(body), null, 2), type: ContentType.JSON };
  } catch {
    return { content: body, type: ContentType.TEXT };
  }
}

/** Thrown inside an allure step only to mark the step failed; never leaves this module. */
class StepMarker extends Error {
  constructor(message: string, failed: boolean) {
    super(message);
    // allure-js classifies by name: AssertionError → failed, anything else → broken.
    this.name = failed ? "AssertionError" : "HarnessError";
  }
}

async function recordStep(step: StepResult): Promise<void> {
  await allure
    .step(step.name, async () => {
      if (step.request) {
        await allure.attachment("request", JSON.stringify(step.request, null, 2), ContentType.JSON);
      }
      if (step.response) {
        const { body, ...head } = step.response;
        await allure.attachment("response", JSON.stringify(head, null, 2), ContentType.JSON);
        const attached = bodyAttachment(body);
        await allure.attachment("response body", attached.content, attached.type);
      }
      for (const jwt of step.jwts) {
        const decoded = JSON.stringify({ header: jwt.header, payload: jwt.payload }, null, 2);
        await allure.attachment(`JWT: ${jwt.where}`, decoded, ContentType.JSON);
      }
      if (step.retries !== undefined) {
        await allure.attachment(
          "retries (connection errors before the answer)",
          step.retries.join("\n"),
          ContentType.TEXT,
        );
      }
      if (step.error !== undefined) await allure.attachment("error", step.error, ContentType.TEXT);
      for (const check of step.checks) {
        const name = `${check.severity === "warn" ? "[should] " : ""}${check.check}: ${check.message}`;
        const detail = check.ok
          ? undefined
          : new Error(`${check.message} (${check.ref.title}, ${check.ref.section}: ${check.ref.url})`);
        await allure.logStep(name, checkStatus(check), detail);
      }
      if (step.error !== undefined) throw new StepMarker(step.error, false);
      const failed = step.checks.filter((check) => !check.ok && check.severity === "fail");
      if (failed.length > 0) throw new StepMarker(failed.map((check) => check.message).join("; "), true);
    })
    .then(undefined, (error: unknown) => {
      if (!(error instanceof StepMarker)) throw error;
    });
}

/** Writes the whole case into the current Allure test. Call inside the vitest test of that case. */
export async function recordCaseInAllure(planned: PlannedCase, result: CaseResult): Promise<void> {
  await allure.allureId(result.id);
  await allure.feature(planned.feature);
  if (result.tags.length > 0) await allure.tags(...result.tags);
  await allure.link(result.ref.url, result.ref.title);
  await allure.description(describeCase(result));
  for (const step of result.steps) await recordStep(step);
}
