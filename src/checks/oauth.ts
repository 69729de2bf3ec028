/** Checks on the OAuth 2.0 error contract (RFC 6749 §5.2), which iSHARE token endpoints inherit. */
import { defineCheck, fail, pass, show } from "./check.ts";
import { lookup } from "./json-path.ts";

/** `oauth-error-is`: the body is `{"error": "<code>"}` with one of the expected codes. */
export const oauthErrorIs = defineCheck<string | string[]>({
  name: "oauth-error-is",
  description: "The JSON body carries an RFC 6749 `error` member with the expected code.",
  params: {
    oneOf: [
      { type: "string", pattern: "^[a-z_]+$" },
      { type: "array", minItems: 1, items: { type: "string", pattern: "^[a-z_]+$" } },
    ],
  },
  run(context, expected) {
    const allowed = Array.isArray(expected) ? expected : [expected];
    const list = allowed.map((code) => `"${code}"`).join(" or ");
    const parsed = context.json();
    if (!parsed.ok) return fail(`expected a JSON error body with error ${list}, ${parsed.message}`);
    const found = lookup(parsed.value, "error");
    if (!found.found)
      return fail(`expected body.error ${list}, saw no error member in ${show(parsed.value)}`);
    return typeof found.value === "string" && allowed.includes(found.value)
      ? pass(`error ${show(found.value)}`)
      : fail(`expected body.error ${list}, saw ${show(found.value)}`);
  },
});
