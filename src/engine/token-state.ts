/**
 * A local state file of the access tokens a target issued to the client in earlier runs, so that a later run
 * has a token whose lifetime has passed for the "expired token → 401" cases (CAP-009, DELEG-003, PARTY-015)
 * without hand work. It lives next to the targets file (`.ishare-conformance/tokens.json`, mode 0600), never in
 * the output folder, and tokens from it are redacted like every other token.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Tokens kept per target and client (the newest). */
const KEEP = 5;

interface StoredToken {
  /** `<baseUrl> <target partyId> <client partyId>`. */
  readonly key: string;
  readonly token: string;
  /** Epoch ms after which the target should refuse it. */
  readonly expiresAtMs: number;
}

interface StateFile {
  readonly version: 1;
  readonly tokens: readonly StoredToken[];
}

/** The state file for a targets file. */
export const tokenStateFile = (targetsFile: string): string =>
  join(dirname(targetsFile), ".ishare-conformance", "tokens.json");

/** The key of tokens issued by `target` to `client`. */
export const tokenKey = (baseUrl: string, targetPartyId: string, clientPartyId: string): string =>
  `${baseUrl} ${targetPartyId} ${clientPartyId}`;

export class TokenState {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  get file(): string {
    return this.#file;
  }

  #read(): StoredToken[] {
    try {
      const data = JSON.parse(readFileSync(this.#file, "utf8")) as Partial<StateFile>;
      return Array.isArray(data.tokens)
        ? data.tokens.filter(
            (t): t is StoredToken =>
              typeof t?.key === "string" && typeof t.token === "string" && typeof t.expiresAtMs === "number",
          )
        : [];
    } catch {
      // Missing or unreadable: no earlier tokens (the file is ours, and only a convenience).
      return [];
    }
  }

  /** A stored token for `key` whose lifetime passed at least `marginMs` before `nowMs` (the most recent such). */
  expired(key: string, nowMs: number, marginMs = 60_000): StoredToken | undefined {
    return this.#read()
      .filter((t) => t.key === key && t.expiresAtMs + marginMs < nowMs)
      .sort((a, b) => b.expiresAtMs - a.expiresAtMs)[0];
  }

  /** Records a token; keeps the newest {@link KEEP} per key. Never throws (the run does not depend on it). */
  record(key: string, token: string, expiresAtMs: number): void {
    try {
      const others = this.#read().filter((t) => t.token !== token);
      const mine = [{ key, token, expiresAtMs }, ...others.filter((t) => t.key === key)]
        .sort((a, b) => b.expiresAtMs - a.expiresAtMs)
        .slice(0, KEEP);
      const data: StateFile = { version: 1, tokens: [...others.filter((t) => t.key !== key), ...mine] };
      mkdirSync(dirname(this.#file), { recursive: true, mode: 0o700 });
      const temporary = `${this.#file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, this.#file);
    } catch {
      // A read-only folder only costs the later run its expired token: those cases then skip with the reason.
    }
  }
}
