// ACS error body (CommunicationErrorResponse) that core-client turns into a RestError.
import { AcsHttpError } from "./types";

export interface AcsErrorBody {
  error: { code: string; message: string; target?: string };
}

export function errorBody(code: string, message: string, target?: string): AcsErrorBody {
  return { error: target === undefined ? { code, message } : { code, message, target } };
}

/**
 * An AcsHttpError that names the request field at fault in `error.target`, as real ACS does for
 * its validation errors (e.g. `"target":"scopes"`, ../shared/acs-recordings/identity-1.3.0).
 */
export class AcsTargetedError extends AcsHttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly target: string,
  ) {
    super(status, code, message);
    this.name = "AcsTargetedError";
  }
}

/** 400 ValidationError with a target: the shape of every validation error ACS was recorded giving. */
export function validationError(message: string, target: string): AcsTargetedError {
  return new AcsTargetedError(400, "ValidationError", message, target);
}

/** The body the pipeline answers for a thrown AcsHttpError. */
export function errorBodyOf(error: AcsHttpError): AcsErrorBody {
  return errorBody(
    error.code,
    error.message,
    error instanceof AcsTargetedError ? error.target : undefined,
  );
}

const unversionedErrors = new WeakSet<AcsHttpError>();

/**
 * Marks an error that real ACS raises before its versioned API is reached (request model
 * validation, the Teams token check): those answers carry no `api-supported-versions` header
 * (identity-1.3.0 get_token_for_teams_user_playbacklive/…_empty_clientidgt.json, …_invalid_teamsuseraadtokengt.json).
 */
export function unversioned<E extends AcsHttpError>(error: E): E {
  unversionedErrors.add(error);
  return error;
}

export function isUnversioned(error: unknown): boolean {
  return error instanceof AcsHttpError && unversionedErrors.has(error);
}
