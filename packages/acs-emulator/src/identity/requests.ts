// Request bodies of the Identity API, validated into ACS's own 400s (codes and messages as recorded).
import { validationError } from "../http/errors";
import { AcsHttpError, type EmulatorRequest } from "../http/types";
import {
  DEFAULT_EXPIRES_IN_MINUTES,
  isTokenScope,
  MAX_EXPIRES_IN_MINUTES,
  MIN_EXPIRES_IN_MINUTES,
  TOKEN_SCOPES,
  type TokenScope,
} from "../tokens/scopes";

export function badRequest(message: string, code = "ValidationError"): AcsHttpError {
  return new AcsHttpError(400, code, message);
}

export function parseJsonBody(request: EmulatorRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString("utf8"));
  } catch {
    throw badRequest("The request body is not valid JSON.", "InvalidRequestBody");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("The request body must be a JSON object.", "InvalidRequestBody");
  }
  return parsed as Record<string, unknown>;
}

/** What real ACS answers for missing or empty `scopes` (identity-1.3.0 …error_cases_/…without_any_scopes.json). */
export const SCOPES_REQUIRED_MESSAGE = "Invalid scopes - Scopes field is required.";

export function parseScopes(
  value: unknown,
  field: "scopes" | "createTokenWithScopes",
): TokenScope[] {
  const absent =
    value === undefined || value === null || (Array.isArray(value) && value.length === 0);
  if (field === "scopes" && absent) {
    throw validationError(SCOPES_REQUIRED_MESSAGE, field);
  }
  if (!Array.isArray(value)) {
    throw validationError(`'${field}' must be an array of scopes.`, field);
  }
  if (value.length === 0) throw validationError(`'${field}' must name at least one scope.`, field);
  const scopes: TokenScope[] = [];
  for (const scope of value) {
    if (!isTokenScope(scope)) {
      throw validationError(
        `Invalid scope ${JSON.stringify(scope)} in '${field}'; allowed: ${TOKEN_SCOPES.join(", ")}.`,
        field,
      );
    }
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  return scopes;
}

export function parseExpiresInMinutes(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_EXPIRES_IN_MINUTES;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw validationError("'expiresInMinutes' must be an integer.", "ExpiresInMinutes");
  }
  if (value < MIN_EXPIRES_IN_MINUTES || value > MAX_EXPIRES_IN_MINUTES) {
    // Real ACS's words (identity-1.3.0 get_token_with_custom_expiration_*/…_invalid_expiration_…).
    throw validationError(
      `ExpiresInMinutes value ${value} is invalid. Value must be within the [${MIN_EXPIRES_IN_MINUTES}, ${MAX_EXPIRES_IN_MINUTES}] interval.`,
      "ExpiresInMinutes",
    );
  }
  return value;
}
