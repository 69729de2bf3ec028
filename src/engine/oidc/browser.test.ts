/**
 * The browser login driver against the reference Identity Provider: a real Chromium (Debian's, never a
 * downloaded one) logs the test user in through the HTML login page, the code reaches the return endpoint,
 * and the login page's screenshot is attached to the step. Skipped, with the install command, without Chromium.
 */
import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { prepareRun } from "../../cli/builtin-target.ts";
import { runAll } from "../index.ts";
import { CHROMIUM_INSTALL, chromiumPath } from "./browser.ts";

const hasChromium = existsSync(chromiumPath());
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe("the browser login driver", () => {
  test.skipIf(!hasChromium)(
    `logs in at the reference IdP in Chromium and attaches the login page (without ${chromiumPath()}: ${CHROMIUM_INSTALL})`,
    async () => {
      const run = await prepareRun({
        targetsFile: "targets.yaml",
        targetName: "reference-browser",
        suites: ["oidc"],
        grep: "OIDC-001",
      });
      try {
        const [result] = await runAll(run);
        expect(result?.status, result?.message).toBe("passed");
        const step = result!.steps[0]!;
        expect(step.hops?.some((hop) => hop.url.includes("/login"))).toBe(true);
        const shot = step.screenshots?.find((s) => s.name === "IdP login page");
        expect(Buffer.from(shot!.pngBase64, "base64").subarray(0, 4)).toEqual(PNG_MAGIC);
      } finally {
        await run.close();
      }
    },
    // Chromium start-up and a login on a loaded machine: generous, never a verdict about speed.
    180_000,
  );

  test("without Chromium the browser cases are skipped with the install command", async () => {
    const saved = process.env["ISHARE_CHROMIUM"];
    process.env["ISHARE_CHROMIUM"] = "/nonexistent/chromium";
    const run = await prepareRun({
      targetsFile: "targets.yaml",
      targetName: "reference-browser",
      suites: ["oidc"],
      grep: "OIDC-001",
    });
    try {
      const [result] = await runAll(run);
      expect(result?.status).toBe("skipped");
      expect(result?.message).toContain("/nonexistent/chromium");
      expect(result?.message).toContain(CHROMIUM_INSTALL);
    } finally {
      await run.close();
      if (saved === undefined) delete process.env["ISHARE_CHROMIUM"];
      else process.env["ISHARE_CHROMIUM"] = saved;
    }
  });
});
