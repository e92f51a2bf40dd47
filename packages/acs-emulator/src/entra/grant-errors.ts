// Errors of the local Entra ID's OAuth endpoints, in Entra's shape: an OAuth error code plus an
// AADSTS number and text (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
import type { EmulatorResponse } from "../http/types";

export class EntraGrantError extends Error {
  constructor(
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = "EntraGrantError";
  }
}

/** The JSON error body of Entra's token endpoint. */
export function oauthError(
  status: number,
  error: string,
  code: number,
  description: string,
): EmulatorResponse {
  return {
    status,
    headers: { "cache-control": "no-store" },
    json: {
      error,
      error_description: `AADSTS${code}: ${description}`,
      error_codes: [code],
      timestamp: new Date()
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z"),
      trace_id: crypto.randomUUID(),
      correlation_id: crypto.randomUUID(),
    },
  };
}

export function grantErrorResponse(error: EntraGrantError): EmulatorResponse {
  return oauthError(error.status, error.error, error.aadsts, error.description);
}

/** 405 in the token endpoint's error shape (discovery, JWKS, token and managed-identity endpoints). */
export function methodNotAllowed(): EmulatorResponse {
  return {
    status: 405,
    json: { error: "invalid_request", error_description: "Method not allowed." },
  };
}
