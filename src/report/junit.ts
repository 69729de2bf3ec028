/**
 * junit.xml from the run's summary: one <testsuite> per target and suite, the run context as <properties>,
 * `<failure>` for a failed case (the target broke a rule), `<error>` for a broken one (the harness could not
 * judge), `<skipped message>` with the reason; times are the summary's durations, so CI and console agree.
 */
import type { RunContext } from "./run-context.ts";
import { contextProperties } from "./run-context.ts";
import type { RunSummary, SummaryCase } from "./summary.ts";

/** Text made safe for an XML attribute or element; characters XML 1.0 forbids are dropped. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

const firstLine = (text: string): string => text.split("\n")[0] ?? "";

/** The element inside a <testcase> for its outcome; an outcome this build does not know is an error. */
function outcomeElement(c: SummaryCase): string {
  const message = xmlEscape(firstLine(c.message));
  const body = xmlEscape(`${c.message}\nrule: ${c.ref}`);
  switch (c.status) {
    case "passed":
      return "";
    case "failed":
      return `\n      <failure message="${message}" type="failed">${body}</failure>`;
    case "skipped":
      return `\n      <skipped message="${message}"/>`;
    case "broken":
      return `\n      <error message="${message}" type="broken">${body}</error>`;
    default:
      return `\n      <error message="${xmlEscape(`${c.status}: ${firstLine(c.message)}`)}" type="${xmlEscape(c.status)}">${body}</error>`;
  }
}

function testcase(c: SummaryCase): string {
  const open = `    <testcase name="${xmlEscape(`${c.id} ${c.title}`)}" classname="${xmlEscape(`ishare-conformance.${c.target}.${c.suite}`)}" time="${seconds(c.durationMs)}"`;
  const inner = outcomeElement(c);
  return inner === "" ? `${open}/>` : `${open}>${inner}\n    </testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function countsOf(cases: readonly SummaryCase[]): Counts {
  const counts: Counts = { tests: cases.length, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const c of cases) {
    counts.ms += c.durationMs;
    if (c.status === "failed") counts.failures += 1;
    else if (c.status === "skipped") counts.skipped += 1;
    else if (c.status !== "passed") counts.errors += 1;
  }
  return counts;
}

const countAttributes = (counts: Counts): string =>
  `tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(counts.ms)}"`;

/** Why a planned case has no result: it never started, or an interrupt or a stop cut it off. */
export const UNFINISHED_MESSAGE = "not finished: the run was interrupted or stopped before this case ended";

/** The planned cases of `context` without a result in `summary`, as skipped cases (never as passed). */
function unfinishedCases(summary: RunSummary, context: RunContext): SummaryCase[] {
  const finished = new Set(summary.cases.map((c) => `${c.target}\u0000${c.id}`));
  return context.targets.flatMap((target) =>
    (target.planned ?? [])
      .filter((c) => !finished.has(`${target.name}\u0000${c.id}`))
      .map((c) => ({
        ...c,
        target: target.name,
        status: "skipped" as const,
        durationMs: 0,
        message: UNFINISHED_MESSAGE,
      })),
  );
}

/** The whole junit.xml document: every planned case, finished or not. */
export function formatJunit(summary: RunSummary, context: RunContext): string {
  const groups = new Map<string, { target: string; suite: string; cases: SummaryCase[] }>();
  const cases = [...summary.cases, ...unfinishedCases(summary, context)];
  for (const c of cases) {
    const key = `${c.target}\u0000${c.suite}`;
    const group = groups.get(key) ?? { target: c.target, suite: c.suite, cases: [] };
    group.cases.push(c);
    groups.set(key, group);
  }
  const suites = [...groups.values()].map(({ target, suite, cases }) => {
    const properties = contextProperties(context, target)
      .map(([name, value]) => `      <property name="${xmlEscape(name)}" value="${xmlEscape(value)}"/>`)
      .join("\n");
    return [
      `  <testsuite name="${xmlEscape(`${target} / ${suite}`)}" ${countAttributes(countsOf(cases))} timestamp="${xmlEscape(summary.startedAt)}">`,
      `    <properties>\n${properties}\n    </properties>`,
      ...cases.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  const all = countsOf(cases);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ishare-conformance" ${countAttributes({ ...all, ms: summary.durationMs })}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
