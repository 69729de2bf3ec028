/** Checks on what a signed response carries: a member of the JWT payload validated against a schema. */
import { describeSchemaErrors, hasSchema, validatorFor } from "../config/schemas.ts";
import { type CheckContext, type CheckVerdict, defineCheck, fail, pass } from "./check.ts";
import { lookup } from "./json-path.ts";

/** A decoded JWT's payload member, found. */
export interface PayloadMember {
  /** For messages: `body.parties_token → parties_info`. */
  readonly where: string;
  readonly value: unknown;
  /** The decoded JWT's header (x5c for checks that compare with the signer). */
  readonly header: Readonly<Record<string, unknown>>;
}

/**
 * Runs `body` on the member at `at` (a dotted path; absent: the whole payload) of the JWT at `from`, or fails
 * saying why there is none.
 */
export async function withPayloadMember(
  context: CheckContext,
  from: string,
  at: string | undefined,
  body: (member: PayloadMember) => CheckVerdict | Promise<CheckVerdict>,
): Promise<CheckVerdict> {
  const jwt = context.jwt(from);
  if (!jwt.ok) return fail(`expected a signed JWT at ${jwt.where}: ${jwt.message}`);
  if (at === undefined)
    return body({ where: `${jwt.where} payload`, value: jwt.payload, header: jwt.header });
  const where = `${jwt.where} → ${at}`;
  const found = lookup(jwt.payload, at);
  if (!found.found) return fail(`expected ${at} in the payload of ${jwt.where}, saw it absent`);
  return body({ where, value: found.value, header: jwt.header });
}

/** `jwt-payload-schema`: the JWT payload (or the member at `at`) is valid against a schema from schemas/. */
export const jwtPayloadSchema = defineCheck<{ from: string; schema: string; at?: string }>({
  name: "jwt-payload-schema",
  description: "The JWT payload (or its member at `at`) is valid against a schema from schemas/.",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["from", "schema"],
    properties: {
      from: { type: "string", minLength: 1 },
      schema: { type: "string", minLength: 1 },
      at: { type: "string", minLength: 1 },
    },
  },
  run: (context, { from, schema, at }) =>
    withPayloadMember(context, from, at, (member) => {
      if (!hasSchema(schema)) return fail(`schema ${schema} is not in schemas/ (harness configuration)`);
      const validate = validatorFor(schema);
      if (validate(member.value)) return pass(`${member.where} valid against ${schema}`);
      return fail(
        `expected ${member.where} to match schema ${schema}: ${describeSchemaErrors(validate.errors).slice(0, 5).join("; ")}`,
      );
    }),
});
