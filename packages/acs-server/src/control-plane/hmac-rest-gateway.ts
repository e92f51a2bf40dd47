// IdentityGateway over ACS's Identity REST API (2023-10-01) with HMAC-signed fetch, no SDK: runs
// wherever fetch and Web Crypto exist (Next.js Edge routes, workers, Node). Keep this file and its
// imports free of node: modules and Node globals — test/control-plane/edge-runtime.test.ts checks.
import { backoffDelayMs } from "@acs-stack/config/backoff";

import type { AcsTokenScope } from "../contract";
import type {
  AuthModel,
  IdentityGateway,
  IssuedAcsToken,
  TeamsUserTokenRequest,
} from "./identity-gateway";
import { AcsGatewayError, teamsExchangeFailure } from "./identity-gateway";
import { signAcsRequest } from "./hmac-signer";
import { ACS_CALL_TIMEOUT_MS, classifyIdentityError, timedOut } from "./sdk-identity-gateway";

export const IDENTITY_API_VERSION = "2023-10-01";

export interface HmacRestGatewayOptions {
  /** ACS resource origin, e.g. https://contoso.communication.azure.com/ */
  endpoint: string;
  /** Base64 access key of the resource. */
  accessKey: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Defaults to "hmac-rest". */
  model?: AuthModel;
  emulator?: boolean;
  emulatorCaCertPem?: string;
  onClose?: () => Promise<void>;
  /** Clock for x-ms-date (tests). */
  now?: () => Date;
  /**
   * Retries like the SDK's default policy: up to 3 on network errors, 408 and 5xx (not 501/505),
   * and on 429 with Retry-After; exponential delay from `baseDelayMs` (default 1000), each try re-signed.
   */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Deadline of each call, retries and back-off included. Default ACS_CALL_TIMEOUT_MS (5 s). */
  timeoutMs?: number;
}

interface AcsErrorBody {
  error?: { code?: string; message?: string };
}

export class HmacRestIdentityGateway implements IdentityGateway {
  readonly model: AuthModel;
  readonly endpoint: string;
  readonly emulator: boolean;
  readonly emulatorCaCertPem?: string;
  private readonly accessKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;
  private readonly retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  private readonly onClose?: () => Promise<void>;
  private readonly timeoutMs: number;
  private closing?: Promise<void>;

  constructor(options: HmacRestGatewayOptions) {
    this.endpoint = new URL(options.endpoint).origin + "/";
    this.accessKey = options.accessKey;
    this.model = options.model ?? "hmac-rest";
    this.emulator = options.emulator ?? false;
    if (options.emulatorCaCertPem !== undefined) this.emulatorCaCertPem = options.emulatorCaCertPem;
    if (options.onClose !== undefined) this.onClose = options.onClose;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? (() => new Date());
    this.retry = {
      maxRetries: options.retry?.maxRetries ?? 3,
      baseDelayMs: options.retry?.baseDelayMs ?? 1000,
      maxDelayMs: options.retry?.maxDelayMs ?? 64_000,
    };
    this.timeoutMs = options.timeoutMs ?? ACS_CALL_TIMEOUT_MS;
  }

  async createUser(): Promise<{ acsUserId: string }> {
    // Like the SDK: no body, yet content-type application/json.
    const body = await this.send<{ identity?: { id?: string } }>(
      "create an identity",
      "POST",
      "/identities",
      undefined,
      201,
    );
    const id = body?.identity?.id;
    if (typeof id !== "string") throw this.malformed("create an identity");
    return { acsUserId: id };
  }

  async issueToken(
    acsUserId: string,
    scopes: readonly AcsTokenScope[],
    expiresInMinutes: number,
  ): Promise<IssuedAcsToken> {
    const body = await this.send<{ token?: string; expiresOn?: string }>(
      "issue a token",
      "POST",
      `/identities/${encodeURIComponent(acsUserId)}/:issueAccessToken`,
      JSON.stringify({ scopes, expiresInMinutes }),
      200,
    );
    return this.issuedFrom(body, "issue a token");
  }

  async revokeTokens(acsUserId: string): Promise<void> {
    await this.send(
      "revoke tokens",
      "POST",
      `/identities/${encodeURIComponent(acsUserId)}/:revokeAccessTokens`,
      undefined,
      204,
      false,
    );
  }

  async deleteUser(acsUserId: string): Promise<void> {
    await this.send(
      "delete an identity",
      "DELETE",
      `/identities/${encodeURIComponent(acsUserId)}`,
      undefined,
      204,
      false,
    );
  }

  async exchangeTeamsUserToken(request: TeamsUserTokenRequest): Promise<IssuedAcsToken> {
    const action = "exchange a Teams user token";
    let body: { token?: string; expiresOn?: string } | undefined;
    try {
      // The SDK's body (communication-identity `getTokenForTeamsUser`; ../shared/acs-rest-specs/).
      body = await this.send(
        action,
        "POST",
        "/teamsUser/:exchangeAccessToken",
        JSON.stringify({
          token: request.teamsUserAadToken,
          appId: request.clientId,
          userId: request.userObjectId,
        }),
        200,
      );
    } catch (error) {
      throw error instanceof AcsGatewayError ? teamsExchangeFailure(error) : error;
    }
    return this.issuedFrom(body, action);
  }

  close(): Promise<void> {
    this.closing ??= this.onClose ? this.onClose() : Promise.resolve();
    return this.closing;
  }

  private async send<T>(
    action: string,
    method: string,
    path: string,
    body: string | undefined,
    expectedStatus: number,
    jsonContent = true,
  ): Promise<T | undefined> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.sendWithin(
        deadline,
        action,
        method,
        path,
        body,
        expectedStatus,
        jsonContent,
      );
    } catch (error) {
      if (deadline.aborted) throw timedOut(action, this.endpoint, this.timeoutMs, error);
      throw error;
    }
  }

  private async sendWithin<T>(
    deadline: AbortSignal,
    action: string,
    method: string,
    path: string,
    body: string | undefined,
    expectedStatus: number,
    jsonContent: boolean,
  ): Promise<T | undefined> {
    const url = `${this.endpoint.replace(/\/$/, "")}${path}?api-version=${IDENTITY_API_VERSION}`;
    let response: Response;
    for (let attempt = 0; ; attempt++) {
      // Signed per try: x-ms-date must be fresh, as the SDK's per-retry signing policy does.
      const signed = await signAcsRequest({
        method,
        url,
        body: body ?? "",
        accessKey: this.accessKey,
        date: this.now(),
      });
      const headers: Record<string, string> = {
        accept: "application/json",
        "x-ms-date": signed["x-ms-date"],
        "x-ms-content-sha256": signed["x-ms-content-sha256"],
        authorization: signed.authorization,
      };
      if (jsonContent) headers["content-type"] = "application/json";
      try {
        response = await this.fetchImpl(url, {
          method,
          headers,
          signal: deadline,
          ...(body !== undefined ? { body } : {}),
        });
      } catch (error) {
        // fetch rejects only when no HTTP answer came back (refused, DNS, TLS).
        if (attempt < this.retry.maxRetries && !deadline.aborted) {
          await this.backoff(attempt, undefined, deadline);
          continue;
        }
        throw classifyIdentityError(error, action, this.endpoint);
      }
      const retryAfter = retryAfterMs(response.headers);
      const transient =
        response.status === 408 ||
        (response.status >= 500 && response.status !== 501 && response.status !== 505) ||
        (response.status === 429 && retryAfter !== undefined);
      if (!transient || attempt >= this.retry.maxRetries) break;
      await response.body?.cancel();
      await this.backoff(attempt, retryAfter, deadline);
    }
    const text = await response.text();
    if (response.status !== expectedStatus) {
      const parsed = parseJson<AcsErrorBody>(text);
      throw classifyIdentityError(
        {
          statusCode: response.status,
          code: parsed?.error?.code,
          message: parsed?.error?.message ?? (text.slice(0, 200) || response.statusText),
        },
        action,
        this.endpoint,
      );
    }
    return text ? parseJson<T>(text) : undefined;
  }

  /** Waits before the next try; rejects as soon as the call's deadline passes. */
  private backoff(
    attempt: number,
    retryAfter: number | undefined,
    deadline: AbortSignal,
  ): Promise<void> {
    const { baseDelayMs, maxDelayMs } = this.retry;
    const delay =
      retryAfter !== undefined
        ? Math.min(retryAfter, maxDelayMs)
        : backoffDelayMs(
            attempt,
            { initialMs: baseDelayMs, maxMs: maxDelayMs },
            0.8 + Math.random() * 0.4,
          );
    return new Promise((resolve, reject) => {
      const abort = () => {
        clearTimeout(timer);
        reject(deadline.reason instanceof Error ? deadline.reason : new Error("aborted"));
      };
      const timer = setTimeout(() => {
        deadline.removeEventListener("abort", abort);
        resolve();
      }, delay);
      if (deadline.aborted) abort();
      else deadline.addEventListener("abort", abort, { once: true });
    });
  }

  /** `{ token, expiresOn }` as ACS answers it, or "unexpected". */
  private issuedFrom(
    body: { token?: string; expiresOn?: string } | undefined,
    action: string,
  ): IssuedAcsToken {
    const expiresOn = body?.expiresOn ? new Date(body.expiresOn) : undefined;
    if (typeof body?.token !== "string" || !expiresOn || Number.isNaN(expiresOn.getTime())) {
      throw this.malformed(action);
    }
    return { token: body.token, expiresOn };
  }

  private malformed(action: string): AcsGatewayError {
    return new AcsGatewayError(
      "unexpected",
      `ACS answered an unexpected body when asked to ${action}`,
    );
  }
}

function retryAfterMs(headers: Headers): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const ms = Number(headers.get(name));
    if (headers.has(name) && Number.isFinite(ms)) return ms;
  }
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
