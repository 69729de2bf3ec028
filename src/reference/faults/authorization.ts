/** Faults of the Authorization header, shared by every protected endpoint: each breaks one rule of RFC 6750 §2.1 / RFC 9110 §11.1. */
import type { FaultSpec } from "../fault-spec.ts";

const RAW = ["CAP-010", "DELEG-040", "PARTY-016", "PARTY-018", "PARTY-020", "PARTY-022", "PARTY-024"];
const LOWER = ["CAP-011", "DELEG-041", "PARTY-017", "PARTY-019", "PARTY-021", "PARTY-023", "PARTY-025"];

/** Faults of reading `Authorization: Bearer <token>` (every endpoint that takes a token), keyed `auth.<what>`. */
export const AUTHORIZATION_FAULTS = {
  "auth.accepts-raw-token": {
    description: "Takes an Authorization header without the Bearer scheme (the bare token) as a bearer token",
    rule: "§4, §5.1, §6",
    // CAP-007's garbage header then reads as an unknown token: 401 where 400 is due.
    caughtBy: [...RAW, "CAP-007"],
    // 3.0 has no /versions (PARTY-022).
    caughtByVersion: { "3.0": [...RAW.filter((id) => id !== "PARTY-022"), "CAP-007"] },
  },
  "auth.bearer-case-sensitive": {
    description:
      "Refuses the scheme written in lower case (bearer), although scheme names are case-insensitive",
    rule: "§4, §5.1, §6",
    caughtBy: LOWER,
    caughtByVersion: { "3.0": LOWER.filter((id) => id !== "PARTY-023") },
  },
} as const satisfies Record<string, FaultSpec>;
