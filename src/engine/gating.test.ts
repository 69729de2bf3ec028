/**
 * What a negative verdict rests on, through the engine against the reference started on loopback as an
 * external target: a control outside the --grep filter still runs; certificates minted from an issuer the
 * target cannot know leave their cases not judged; and a token issued in one run serves a later run's
 * expired-token case through the local state file.
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseResult } from "../model/result.ts";
import { generateTestPki, type TestPki, toPem, writeTestPki } from "../pki/index.ts";
import { type ReferenceTarget, startReferenceTarget } from "../reference/index.ts";
import { prepareRun, type RunOptions, runAll } from "./index.ts";
import { tokenStateFile } from "./token-state.ts";

const dir = mkdtempSync(join(tmpdir(), "gating-"));
let pki: TestPki;
let reference: ReferenceTarget;
let clock = Date.now();

beforeAll(async () => {
  pki = await generateTestPki();
  await writeTestPki(pki, join(dir, "pki"));
  writeFileSync(
    join(dir, "pki", "issuer.chain.pem"),
    toPem(pki.issuing.certificate) + toPem(pki.root.certificate),
  );
  reference = await startReferenceTarget({ pki, now: () => clock });
}, 300_000);
afterAll(() => reference.close());

function targetsFile(name: string, clientExtra: string): string {
  const folder = mkdtempSync(join(dir, `${name}-`));
  const file = join(folder, "targets.yaml");
  writeFileSync(
    file,
    `targets:
  ext:
    partyId: EU.EORI.NL000000004
    baseUrl: ${reference.baseUrl}
    roles: [AuthorisationRegistry]
    rateLimit: 0
    client:
      partyId: EU.EORI.NL000000001
      key: ${join(dir, "pki", "client.key.pem")}
      certificates: ${join(dir, "pki", "client.chain.pem")}
${clientExtra}
    trust: { anchors: ${join(dir, "pki", "root.pem")} }
`,
  );
  return file;
}

async function run(file: string, extra: Partial<RunOptions>): Promise<CaseResult[]> {
  const prepared = await prepareRun({ targetsFile: file, targetName: "ext", now: () => clock, ...extra });
  try {
    return await runAll(prepared);
  } finally {
    await prepared.close();
  }
}

describe("gated negatives against an external target", () => {
  it("minted certificates the target cannot know: not judged with the reason, never passed", async () => {
    const file = targetsFile(
      "issuer",
      `      issuer: { key: ${join(dir, "pki", "issuing-ca.key.pem")}, certificates: ${join(dir, "pki", "issuer.chain.pem")} }`,
    );
    // --grep leaves the control TOKEN-001 out of the plan: it still runs, so the certificate cases can be judged.
    const results = await run(file, { grep: "certificate" });
    const byId = new Map(results.map((r) => [r.id, r]));
    expect(byId.has("TOKEN-001")).toBe(false);
    expect(byId.get("TOKEN-025")?.status).toBe("passed");
    for (const id of ["TOKEN-026", "TOKEN-027", "TOKEN-028", "TOKEN-044"]) {
      const result = byId.get(id);
      expect(result?.status, id).toBe("broken");
      expect(result?.notJudged?.control).toBeUndefined();
      expect(result?.message).toMatch(
        /^not judged: the target refused a valid certificate minted from client\.issuer for EU\.EORI\.NL000000001 \(.*\), so it cannot know the certificates minted for this case .*; give ready-made certificates in targets\.ext\.client\.credentials/,
      );
    }
  });

  it("an expired-token case runs in a later run with a token the first run was issued", async () => {
    const file = targetsFile("state", "");
    const first = await run(file, { grep: "CAP-009" });
    expect(first.map((r) => [r.id, r.status])).toEqual([["CAP-009", "skipped"]]);
    const state = tokenStateFile(file);
    expect(existsSync(state)).toBe(true);
    expect(statSync(state).mode & 0o077).toBe(0);

    clock += 2 * 3_600_000; // the first run's token (3600 s) has expired
    const later = await run(file, { grep: "CAP-009" });
    expect(later.map((r) => [r.id, r.status, r.message])).toEqual([["CAP-009", "passed", ""]]);
    const sent = later[0]?.steps[0]?.request?.headers["authorization"] ?? "";
    expect(sent).toMatch(/^Bearer \[redacted sha256:[0-9a-f]{8}\]$/);
  });
});
