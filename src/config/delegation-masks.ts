/**
 * Reads the delegation masks named in targets.yaml (`delegation.permitMask`, `.denyMask`): JSON files
 * validated against schemas/delegation-mask.schema.json, each about the client as access subject, so that a
 * wrong mask is a ConfigError naming the file, the targets.yaml key and the key path inside the mask.
 */
import { type DelegationMask, readMask } from "../delegation/index.ts";
import { ConfigError } from "../errors.ts";
import { readRegularFile, UnreadableFileError } from "./regular-file.ts";

/**
 * Loads the mask in `file`; `at` is its key in targets.yaml (`targets.my-ar.delegation.permitMask`) and
 * `clientId` the party the harness presents, which must be the mask's accessSubject.
 * @throws ConfigError (CONFIG) when the file is unreadable, not JSON, not a valid mask or about someone else.
 */
export function loadMaskFile(file: string, at: string, clientId: string): DelegationMask {
  const where = `${file} (${at})`;
  let text: string;
  try {
    text = readRegularFile(file);
  } catch (error) {
    const reason = error instanceof UnreadableFileError ? error.reason : String(error);
    throw new ConfigError("CONFIG", `${where}: cannot read the mask (${reason}); check the path`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      "CONFIG",
      `${where}: the mask is not JSON (${(error as Error).message}); fix the JSON syntax`,
      { cause: error },
    );
  }
  const read = readMask(value);
  if (!read.ok) {
    throw new ConfigError(
      "CONFIG",
      `${where}: not a valid delegation mask: ${read.problems.join("; ")} (Delegation mask: https://dev.ishare.eu/version-2.0.1/reference/delegation-mask)`,
    );
  }
  const subject = read.value.delegationRequest.target.accessSubject;
  if (subject !== clientId) {
    throw new ConfigError(
      "CONFIG",
      `${where}: delegationRequest.target.accessSubject is ${JSON.stringify(subject)}, but the harness asks as the ` +
        `client ${clientId}; make the mask's accessSubject the client's party id (or change client.partyId)`,
    );
  }
  return read.value;
}

/**
 * Loads a policy creation request (`delegation.policyRequest` / `.refusedPolicyRequest`): a JSON
 * `delegationPolicyRequest` object with policyIssuer, target.accessSubject and policySets (iSHARE OpenAPI,
 * `delegationPolicyRequest`), sent as given inside the signed token.
 * @throws ConfigError (CONFIG) when the file is unreadable, not JSON or lacks those members.
 */
export function loadPolicyRequestFile(file: string, at: string): Readonly<Record<string, unknown>> {
  const where = `${file} (${at})`;
  let value: unknown;
  try {
    value = JSON.parse(readRegularFile(file));
  } catch (error) {
    const reason =
      error instanceof UnreadableFileError ? `cannot read it (${error.reason})` : (error as Error).message;
    throw new ConfigError("CONFIG", `${where}: ${reason}; give a JSON delegationPolicyRequest object`, {
      cause: error,
    });
  }
  const request = value as Record<string, unknown> | null;
  const target = request?.["target"] as Record<string, unknown> | undefined;
  const problems = [
    typeof value !== "object" || value === null || Array.isArray(value) ? "is not a JSON object" : "",
    typeof request?.["policyIssuer"] !== "string" ? "policyIssuer must be a string" : "",
    typeof target?.["accessSubject"] !== "string" ? "target.accessSubject must be a string" : "",
    !Array.isArray(request?.["policySets"]) || (request["policySets"] as unknown[]).length === 0
      ? "policySets must be a non-empty array"
      : "",
  ].filter((problem) => problem !== "");
  if (problems.length > 0) {
    throw new ConfigError(
      "CONFIG",
      `${where}: not a delegationPolicyRequest: ${problems.join("; ")} (iSHARE OpenAPI, delegationPolicyRequest)`,
    );
  }
  return request as Readonly<Record<string, unknown>>;
}
