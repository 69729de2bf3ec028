/**
 * Errors the harness raises about itself or its inputs. A target breaking an iSHARE rule is a
 * result (see model/result.ts), never an exception.
 */

/** Stable error codes; callers and tests match on these, never on message text alone. */
export type HarnessErrorCode =
  | "USAGE" // bad command line
  | "CONFIG" // targets.yaml: missing, unparsable or invalid
  | "SUITE" // a suite file is invalid
  | "KEY" // a private key cannot be read or does not fit
  | "CERTIFICATE" // a certificate (chain) cannot be read or is inconsistent
  | "NETWORK" // the target could not be reached or the exchange failed below HTTP
  | "TIMEOUT" // a deadline passed
  | "RESPONSE_TOO_LARGE" // the body exceeded the configured cap
  | "NOT_APPLICABLE" // a case needs material this target's configuration does not give
  | "REGISTRY" // trust from the participant registry could not be established (token, trusted list, party)
  | "PRECONDITION" // what a case builds on did not hold in this run (an access token): the case is not judged
  | "HARNESS"; // our own bug

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HarnessError";
    this.code = code;
  }
}

/** The user's input is wrong (config, suite, key, certificate, CLI): exit code 2. */
export class ConfigError extends HarnessError {
  constructor(
    code: "USAGE" | "CONFIG" | "SUITE" | "KEY" | "CERTIFICATE",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = "ConfigError";
  }
}

/** The exchange with the target failed below HTTP semantics: the case is broken, not failed. */
export class NetworkError extends HarnessError {
  constructor(
    code: "NETWORK" | "TIMEOUT" | "RESPONSE_TOO_LARGE",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = "NetworkError";
  }
}

/** A case cannot run against this target as configured: the case is skipped with this reason. */
export class NotApplicableError extends HarnessError {
  constructor(message: string) {
    super("NOT_APPLICABLE", message);
    this.name = "NotApplicableError";
  }
}

/**
 * Trust from the target's participant registry could not be established (no token there, trusted list or
 * party record unreadable or unsigned): the cases that need it are broken, never blamed on the target.
 */
export class RegistryError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("REGISTRY", message, options);
    this.name = "RegistryError";
  }
}

/**
 * What a case builds on did not hold in this run (the target refused the valid token request, so no access
 * token exists): the case is not judged, with this reason; the case that tests that step itself fails.
 */
export class PreconditionError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("PRECONDITION", message, options);
    this.name = "PreconditionError";
  }
}

export const isHarnessError = (value: unknown): value is HarnessError => value instanceof HarnessError;
