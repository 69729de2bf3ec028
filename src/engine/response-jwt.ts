/** Finds and decodes the JWT a check names with `from:` in a response (not verified here: checks do that). */
import type { JsonParse, JwtParse } from "../checks/index.ts";
import { lookup } from "../checks/json-path.ts";
import type { HttpResponse } from "../http/response.ts";
import { decodeJws } from "../jwt/index.ts";

/** The JWT named by `from`: `body` (the whole body), or a JSON path in the body. */
export function extractJwt(from: string, response: HttpResponse, json: () => JsonParse): JwtParse {
  if (from === "body") {
    const decoded = decodeJws(response.bodyText.trim());
    return decoded.ok
      ? {
          ok: true,
          where: "body",
          compact: response.bodyText.trim(),
          header: decoded.header,
          payload: decoded.payload,
        }
      : { ok: false, where: "body", message: decoded.message };
  }
  const where = `body.${from}`;
  const parsed = json();
  if (!parsed.ok) return { ok: false, where, message: parsed.message };
  const found = lookup(parsed.value, from);
  if (!found.found) return { ok: false, where, message: "saw it absent" };
  if (typeof found.value !== "string")
    return { ok: false, where, message: `saw a ${typeof found.value}, not a string` };
  const decoded = decodeJws(found.value);
  return decoded.ok
    ? { ok: true, where, compact: found.value, header: decoded.header, payload: decoded.payload }
    : { ok: false, where, message: decoded.message };
}
