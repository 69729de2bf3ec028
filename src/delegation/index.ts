/** Delegation masks and evidence: types, reading, evaluation, echo comparison, version-dependent names. */
export { type EchoOptions, echoProblems, sameTarget } from "./echo.ts";
export {
  type EvaluateOptions,
  type Evaluation,
  evaluate,
  type PolicyVerdict,
  requestOf,
} from "./evaluate.ts";
export {
  type DelegationNames,
  delegationNames,
  documentedPlacement,
  PREVIOUS_STEPS_PLACEMENTS,
  type PreviousStepsPlacement,
  previousStepsOf,
  withPreviousSteps,
} from "./names.ts";
export { type ReadResult, readEvidence, readMask } from "./read.ts";
export type {
  DelegationEvidence,
  DelegationMask,
  DelegationRequest,
  Effect,
  LicenseRule,
  Policy,
  PolicySet,
  PolicyTarget,
  ResourceTarget,
  Rule,
  RuleTarget,
} from "./types.ts";
