// IdentityGateway over the official CommunicationIdentityClient. The control plane builds the client
// with the credential of the active auth model (connection string, Entra ID, managed identity or the
// emulator's connection string); this class only translates calls, bounds their time and
// classifies failures.
import type { CommunicationIdentityClient } from "@azure/communication-identity";

import type { AcsTokenScope } from "../contract";
import type {
  AcsFailureKind,
  AuthModel,
  IdentityGateway,
  IssuedAcsToken,
  TeamsUserTokenRequest,
} from "./identity-gateway";
import { AcsGatewayError, teamsExchangeFailure } from "./identity-gateway";

/**
 * Longest a control-plane call may take, the SDK's retries included: its default policy retries a
 * refused connection or a 5xx three times with exponential back-off (about 1 + 2 + 4 s, up to
 * 64 s with Retry-After), which would hold a request long after ACS went away. Past it the call
 * fails as "unreachable" (SERVICE_UNAVAILABLE). Identity calls normally answer in well under 1 s.
 */
export const ACS_CALL_TIMEOUT_MS = 5_000;

export interface SdkIdentityGatewayOptions {
  model: AuthModel;
  endpoint: string;
  emulator: boolean;
  emulatorCaCertPem?: string;
  /** Called once by close(), e.g. to stop an in-process emulator the control plane started. */
  onClose?: () => Promise<void>;
  /** Deadline of each call, retries included. Default ACS_CALL_TIMEOUT_MS. */
  timeoutMs?: number;
}

type IdentityClient = Pick<
  CommunicationIdentityClient,
  "createUser" | "getToken" | "revokeTokens" | "deleteUser" | "getTokenForTeamsUser"
>;

export class SdkIdentityGateway implements IdentityGateway {
  readonly model: AuthModel;
  readonly endpoint: string;
  readonly emulator: boolean;
  readonly emulatorCaCertPem?: string;
  private readonly onClose?: () => Promise<void>;
  private readonly timeoutMs: number;
  private closing?: Promise<void>;

  constructor(
    private readonly client: IdentityClient,
    options: SdkIdentityGatewayOptions,
  ) {
    this.model = options.model;
    this.endpoint = options.endpoint;
    this.emulator = options.emulator;
    if (options.emulatorCaCertPem !== undefined) this.emulatorCaCertPem = options.emulatorCaCertPem;
    if (options.onClose !== undefined) this.onClose = options.onClose;
    this.timeoutMs = options.timeoutMs ?? ACS_CALL_TIMEOUT_MS;
  }

  async createUser(): Promise<{ acsUserId: string }> {
    const user = await this.call("create an identity", (abortSignal) =>
      this.client.createUser({ abortSignal }),
    );
    return { acsUserId: user.communicationUserId };
  }

  async issueToken(
    acsUserId: string,
    scopes: readonly AcsTokenScope[],
    expiresInMinutes: number,
  ): Promise<IssuedAcsToken> {
    const issued = await this.call("issue a token", (abortSignal) =>
      this.client.getToken({ communicationUserId: acsUserId }, [...scopes], {
        tokenExpiresInMinutes: expiresInMinutes,
        abortSignal,
      }),
    );
    return { token: issued.token, expiresOn: issued.expiresOn };
  }

  async revokeTokens(acsUserId: string): Promise<void> {
    await this.call("revoke tokens", (abortSignal) =>
      this.client.revokeTokens({ communicationUserId: acsUserId }, { abortSignal }),
    );
  }

  async deleteUser(acsUserId: string): Promise<void> {
    await this.call("delete an identity", (abortSignal) =>
      this.client.deleteUser({ communicationUserId: acsUserId }, { abortSignal }),
    );
  }

  async exchangeTeamsUserToken(request: TeamsUserTokenRequest): Promise<IssuedAcsToken> {
    try {
      const issued = await this.call("exchange a Teams user token", (abortSignal) =>
        this.client.getTokenForTeamsUser({
          teamsUserAadToken: request.teamsUserAadToken,
          clientId: request.clientId,
          userObjectId: request.userObjectId,
          abortSignal,
        }),
      );
      return { token: issued.token, expiresOn: issued.expiresOn };
    } catch (error) {
      throw error instanceof AcsGatewayError ? teamsExchangeFailure(error) : error;
    }
  }

  close(): Promise<void> {
    this.closing ??= this.onClose ? this.onClose() : Promise.resolve();
    return this.closing;
  }

  private async call<T>(action: string, run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      return await run(deadline);
    } catch (error) {
      if (deadline.aborted) throw timedOut(action, this.endpoint, this.timeoutMs, error);
      throw classifyIdentityError(error, action, this.endpoint);
    }
  }
}

/** A call that ran out of time (the SDK's retries included): ACS counts as unreachable. */
export function timedOut(
  action: string,
  endpoint: string,
  timeoutMs: number,
  cause: unknown,
): AcsGatewayError {
  return new AcsGatewayError(
    "unreachable",
    `ACS at ${endpoint} did not ${action} within ${timeoutMs} ms`,
    undefined,
    { cause },
  );
}

/** Classifies anything the SDK throws into one AcsGatewayError kind. Exported for the REST gateway and tests. */
export function classifyIdentityError(
  error: unknown,
  action: string,
  endpoint: string,
): AcsGatewayError {
  if (error instanceof AcsGatewayError) return error;
  const { statusCode, code, message } = describe(error);
  const kind = kindOf(statusCode, code);
  const detail = kind === "credentials-rejected" ? "" : `: ${message}`;
  const text =
    kind === "unreachable"
      ? `ACS at ${endpoint} could not ${action}${detail}`
      : `ACS refused to ${action} (HTTP ${statusCode ?? "?"}${code ? `, ${code}` : ""})${detail}`;
  return new AcsGatewayError(kind, text, statusCode, {
    cause: error,
    ...(code !== undefined ? { code } : {}),
  });
}

function kindOf(statusCode: number | undefined, code: string | undefined): AcsFailureKind {
  // No HTTP status: the request never got an answer (refused connection, DNS, TLS, reset socket).
  if (statusCode === undefined || statusCode === 0) return "unreachable";
  // ACS answers 401 IdentityNotOwned for an identity of another resource (e.g. one stored before
  // the app was pointed at a new resource): our credentials are fine, this resource has no such
  // identity (recorded: ../shared/acs-recordings/identity-1.3.0/*_error_cases_/*_invalid_user.json).
  if (code === "IdentityNotOwned") return "not-found";
  // Only the Teams token exchange answers InvalidAccessToken: the person's Entra token is invalid,
  // expired or not signed by Entra, while our own credentials were accepted (identity-1.3.0
  // get_token_for_teams_user_playbacklive/…_expired_teamsuseraadtokengt.json).
  if (statusCode === 401 && code === "InvalidAccessToken") return "teams-token-invalid";
  if (statusCode === 401 || statusCode === 403) return "credentials-rejected";
  if (statusCode === 404) return "not-found";
  if (statusCode === 400) return "bad-request";
  if (statusCode === 429) return "throttled";
  if (statusCode >= 500) return "unreachable";
  return "unexpected";
}

function describe(error: unknown): { statusCode?: number; code?: string; message: string } {
  if (typeof error !== "object" || error === null) return { message: String(error) };
  const record = error as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  const statusCode = typeof record.statusCode === "number" ? record.statusCode : undefined;
  let code = typeof record.code === "string" ? record.code : undefined;
  // RestError wraps socket errors as REQUEST_SEND_ERROR; the node error code sits on the cause.
  if (
    (code === undefined || code === "REQUEST_SEND_ERROR") &&
    typeof record.cause === "object" &&
    record.cause
  ) {
    const causeCode = (record.cause as { code?: unknown }).code;
    if (typeof causeCode === "string") code = causeCode;
  }
  const message = typeof record.message === "string" ? record.message : "unknown error";
  return {
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(code !== undefined ? { code } : {}),
    message,
  };
}
