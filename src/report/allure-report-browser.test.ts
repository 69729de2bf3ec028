/**
 * The HTML report as a user gets it: one file opened from disk (file://) in headless Chromium. It must
 * render (overview with the run context, the tree by target and suite in case-id order, a case page with
 * its steps named after the request and the decoded certificate), and the page must fetch nothing that is
 * not inside it: every request the browser saw is the file itself or inline data.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseResult, RuleRef } from "../model/result.ts";
import { toBase64Der, untrustedIdentity } from "../pki/index.ts";
import { findChromium, type OpenedPage, openPage } from "../test-support/headless-chromium.ts";
import { generateAllureReport } from "./allure-generate.ts";
import { writeAllureResults } from "./allure-results.ts";
import type { RunContext } from "./run-context.ts";

const chromium = findChromium();
const ref: RuleRef = {
  key: "jwt.lifetime",
  title: "Client assertion — lifetime",
  url: "https://dev.ishare.eu/reference/jwt",
  section: "Client assertion — JWT Payload",
};
const context: RunContext = {
  harness: { name: "ishare-conformance", version: "9.9.9" },
  secrets: "redacted",
  targets: [
    {
      name: "browser-target",
      baseUrl: "https://ar.example.test",
      partyId: "EU.EORI.NL000000004",
      version: "2.1",
      roles: ["AuthorisationRegistry"],
      faults: ["token.accepts-expired-assertion"],
      notices: ["https://ar.example.test: endpoint differs from capabilities"],
      plannedCases: 2,
    },
  ],
};

async function results(): Promise<(CaseResult & { target: string })[]> {
  const party = await untrustedIdentity("EU.EORI.NL000000001", "Browser Test Party", new Date());
  const base = {
    suite: "token",
    ref,
    tags: ["negative"],
    warnings: [],
    startedAt: new Date().toISOString(),
    durationMs: 12,
    target: "browser-target",
  };
  const iat = Math.floor(Date.now() / 1000) - 120;
  return [
    {
      ...base,
      id: "TOKEN-036",
      title: "An expired assertion is refused",
      status: "failed",
      message: "status-is: expected 400 or 401, saw 200",
      steps: [
        {
          name: "step 1",
          defects: ["expired"],
          request: { method: "POST", url: "https://ar.example.test/connect/token", headers: {} },
          response: { status: 200, headers: {}, body: "{}", truncated: false, durationMs: 3 },
          checks: [
            { check: "status-is", severity: "fail", ok: false, message: "expected 400 or 401, saw 200", ref },
          ],
          jwts: [
            {
              where: "request client_assertion",
              header: { alg: "RS256", typ: "JWT", x5c: party.chain.map(toBase64Der) },
              payload: { iss: party.partyId, iat, exp: iat + 30 },
            },
          ],
        },
      ],
    },
    {
      ...base,
      id: "TOKEN-001",
      title: "A valid request gets a token",
      status: "passed",
      message: "",
      steps: [],
    },
  ];
}

let dir: string;
let index: string;
let page: OpenedPage | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "report-browser-"));
  await mkdir(join(dir, "allure-results"));
  await writeAllureResults(join(dir, "allure-results"), await results(), context);
  index = await generateAllureReport({
    resultsDir: join(dir, "allure-results"),
    reportDir: join(dir, "allure-report"),
    reportName: "iSHARE conformance — browser-target",
  });
  if (chromium) page = await openPage(chromium, pathToFileURL(index).href);
}, 300_000);
afterAll(async () => {
  await page?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Clicks the first element of the app whose own text starts with `text`; false when there is none yet. */
const click = (text: string): string =>
  `(() => { const el = [...document.querySelectorAll("#app *")].find((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim().startsWith(${JSON.stringify(text)}))); if (!el) return false; el.click(); return true; })()`;

const text = (): Promise<string> => page!.evaluate<string>("document.body.innerText");

describe.skipIf(!chromium)("the single-file report in headless Chromium", () => {
  it("renders from file:// with the run context on the overview", async () => {
    await page!.waitFor("document.body.innerText.includes('browser-target')", "the report's tree", 60_000);
    const shown = await text();
    expect(shown).toContain("iSHARE conformance — browser-target");
    for (const value of [
      "https://ar.example.test",
      "2.1",
      "token.accepts-expired-assertion",
      "ishare-conformance 9.9.9",
      "redacted",
    ]) {
      expect(shown).toContain(value);
    }
  });

  it("lists the cases by id under target and suite, and opens a case page with the step named after its request", async () => {
    await page!.waitFor(click("browser-target"), "the target in the tree", 30_000);
    await page!.waitFor(click("token"), "the suite in the tree", 30_000);
    await page!.waitFor("document.body.innerText.includes('TOKEN-036')", "the cases", 30_000);
    const shown = await text();
    expect(shown.indexOf("TOKEN-001")).toBeLessThan(shown.indexOf("TOKEN-036"));
    await page!.waitFor(click("TOKEN-036"), "the case", 30_000);
    await page!.waitFor("document.body.innerText.includes('POST /connect/token')", "the case page", 30_000);
    const casePage = await text();
    expect(casePage).toContain('POST /connect/token with assertion defect "expired"');
    expect(casePage).toContain("expired: iat 120 s in the past");
    expect(casePage).toContain("✗ status-is: expected 400 or 401, saw 200");
  });

  it("fetches nothing from outside the file", () => {
    const outside = page!.requests.filter((url) => !/^(file:|data:|blob:|about:)/.test(url));
    expect(page!.requests[0]).toBe(pathToFileURL(index).href);
    expect(outside).toEqual([]);
  });
});

describe.skipIf(chromium !== undefined)("without Chromium", () => {
  it.skip("the single-file report is not opened in a browser: chromium is not installed (apt-get install chromium)", () => {});
});
