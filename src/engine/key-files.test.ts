import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { keyFileWarnings } from "./key-files.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "key-files-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keyFile(name: string, mode: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, "not a real key");
  await chmod(path, mode);
  return path;
}

describe("keyFileWarnings", () => {
  test("warns about a key readable by others or by the group, naming the file, the key path and the fix", async () => {
    const open = await keyFile("open.key.pem", 0o644);
    const group = await keyFile("group.key.pem", 0o640);
    const closed = await keyFile("closed.key.pem", 0o600);
    const warnings = keyFileWarnings([
      { path: open, at: "targets.t.client.key" },
      { path: group, at: "targets.t.identities.x.key" },
      { path: closed, at: "targets.t.http.tls.key" },
      { path: join(dir, "missing.pem"), at: "targets.t.client.issuer.key" },
    ]);
    expect(warnings).toEqual([
      `private key ${open} (targets.t.client.key) is readable by every user of this machine (mode 644): run chmod 600 ${open}`,
      `private key ${group} (targets.t.identities.x.key) is readable by its group (mode 640): run chmod 600 ${group}`,
    ]);
  });

  test("says nothing on Windows, where modes do not express this", async () => {
    const open = await keyFile("win.key.pem", 0o644);
    expect(keyFileWarnings([{ path: open, at: "k" }], "win32")).toEqual([]);
  });
});
