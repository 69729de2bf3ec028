/** Builds the concrete HTTP request of a step: base request + mutation, placeholders rendered, body encoded. */
import { withPreviousSteps } from "../delegation/index.ts";
import { HarnessError, NotApplicableError } from "../errors.ts";
import type { OutgoingRequest } from "../http/client.ts";
import type { JsonEdit, RequestTemplate } from "../model/suite.ts";
import type { MaskName, ResolvedTarget } from "../model/target.ts";
import { applyEdits } from "./json-edit.ts";
import { renderDeep, renderString, type VariableLookup } from "./templates.ts";

type StringMap = Readonly<Record<string, string | null>>;

function mergeMaps(base: StringMap | undefined, change: StringMap | undefined): StringMap | undefined {
  if (!change) return base;
  return { ...base, ...change };
}

/** The base request with a mutation applied: scalar members replaced, maps merged (`null` removes a key). */
export function mergeRequest(base: RequestTemplate, mutate: RequestTemplate | undefined): RequestTemplate {
  if (!mutate) return base;
  const merged: Record<string, unknown> = { ...base, ...mutate };
  for (const key of ["query", "headers", "form"] as const) {
    const map = mergeMaps(base[key], mutate[key]);
    if (map) merged[key] = map;
  }
  if (base.edits && mutate.edits) merged["edits"] = [...base.edits, ...mutate.edits];
  return merged as RequestTemplate;
}

/** The target's delegation mask `name`; not applicable when targets.yaml gives none. */
export function maskOf(target: ResolvedTarget, name: MaskName): unknown {
  const mask = target.delegation?.masks[name];
  if (mask === undefined) {
    throw new NotApplicableError(
      `needs a ${name} mask: set targets.${target.name}.delegation.${name}Mask (a JSON delegation mask) in ${target.source}`,
    );
  }
  return mask;
}

/** The target's userinfo mask `name` (an IdentityProvider's); not applicable when targets.yaml gives none. */
export function userinfoMaskOf(target: ResolvedTarget, name: MaskName): unknown {
  const mask = target.oidc?.userinfoMasks?.[name];
  if (mask === undefined) {
    throw new NotApplicableError(
      `needs a userinfo ${name} mask: set targets.${target.name}.oidc.userinfo.${name}Mask (a JSON delegation mask) in ${target.source}`,
    );
  }
  return mask;
}

/** What a step adds to the template that needs more than placeholders (signed material). */
export interface RequestExtras {
  /** Client assertions to place as previous_steps (spec digest §5.2). */
  readonly previousSteps?: readonly string[];
  /** The signed Policy Creation Request Token of a `policyRequest` template. */
  readonly policyRequestToken?: string;
}

function renderEdits(edits: readonly JsonEdit[], lookup: VariableLookup): JsonEdit[] {
  return edits.map((edit) => ("set" in edit ? { ...edit, value: renderDeep(edit.value, lookup) } : edit));
}

/** The JSON body of a template with a mask or json: built, previous steps placed, edits applied. */
function jsonBody(
  target: ResolvedTarget,
  template: RequestTemplate,
  lookup: VariableLookup,
  extras: RequestExtras,
): unknown {
  // A user's mask is data, sent as given; only the suite's own JSON carries placeholders.
  let json =
    template.policyRequest !== undefined
      ? { delegationPolicyRequestToken: extras.policyRequestToken }
      : template.userinfoMask !== undefined
        ? userinfoMaskOf(target, template.userinfoMask)
        : template.mask !== undefined
          ? maskOf(target, template.mask)
          : renderDeep(template.json, lookup);
  if (extras.previousSteps)
    json = withPreviousSteps(
      json,
      extras.previousSteps,
      target.version,
      target.delegation?.previousStepsPlacement,
    );
  if (template.edits) json = applyEdits(json, renderEdits(template.edits, lookup));
  return json;
}

/** The URL of an endpoint key: absolute as configured, or joined to the base URL. */
export function endpointUrl(target: ResolvedTarget, endpoint: string): string {
  const path = target.endpoints[endpoint];
  if (path === undefined) {
    throw new HarnessError(
      "NOT_APPLICABLE",
      `the target has no "${endpoint}" endpoint: set targets.${target.name}.endpoints.${endpoint} in ${target.source}`,
    );
  }
  return /^https?:\/\//i.test(path) ? path : `${target.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`;
}

function renderMap(map: StringMap | undefined, lookup: VariableLookup): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map ?? {})) {
    if (value !== null) out[key] = renderString(value, lookup);
  }
  return out;
}

/** Renders a request template into what goes on the wire. */
export function buildRequest(
  target: ResolvedTarget,
  template: RequestTemplate,
  lookup: VariableLookup,
  extras: RequestExtras = {},
): OutgoingRequest {
  const method = template.method ?? "GET";
  const endpoint = template.endpoint ?? "";
  let url = endpointUrl(target, endpoint);
  if (template.path !== undefined) url += renderString(template.path, lookup);
  const query = renderMap(template.query, lookup);
  const form = renderMap(template.form, lookup);
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [key, value] of Object.entries(renderMap(template.headers, lookup)))
    headers[key.toLowerCase()] = value;
  const removedHeaders = Object.entries(template.headers ?? {})
    .filter(([, value]) => value === null)
    .map(([key]) => key.toLowerCase());

  let body: string | undefined;
  const bodyAs = template.bodyAs ?? "form";
  if (template.body !== undefined) {
    body = renderString(template.body, lookup);
  } else if (
    template.json !== undefined ||
    template.mask !== undefined ||
    template.policyRequest !== undefined ||
    template.userinfoMask !== undefined
  ) {
    body = JSON.stringify(jsonBody(target, template, lookup, extras));
    headers["content-type"] ??= "application/json";
  } else if (template.form !== undefined) {
    if (bodyAs === "query") Object.assign(query, form);
    else if (bodyAs === "json") {
      body = JSON.stringify(form);
      headers["content-type"] ??= "application/json";
    } else {
      body = new URLSearchParams(form).toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded";
    }
  }
  for (const key of removedHeaders) delete headers[key];
  const search = new URLSearchParams(query).toString();
  if (search) url += (url.includes("?") ? "&" : "?") + search;
  return { method, url, headers, ...(body !== undefined ? { body } : {}) };
}
