// Identity API (api-version 2023-10-01): the five operations of CommunicationIdentityClient,
// authorised by HMAC-SHA256 (access key) or an Entra ID bearer token.
import { createHash, randomUUID } from "node:crypto";
import type { HmacVerifier } from "../auth/hmac";
import { validationError } from "../http/errors";
import {
  AcsHttpError,
  type EmulatorRequest,
  type EmulatorResponse,
  type RouteHandler,
} from "../http/types";
import type { EntraApi, Logger } from "../modules";
import type { TokenIssuer } from "../tokens/issuer";
import {
  DEFAULT_EXPIRES_IN_MINUTES,
  isTokenScope,
  MAX_EXPIRES_IN_MINUTES,
  MIN_EXPIRES_IN_MINUTES,
  TOKEN_SCOPES,
  type TokenScope,
} from "../tokens/scopes";
import type { IdentityStore } from "./store";
import { verifyTeamsExchange } from "./teams-exchange";

export const IDENTITY_API_VERSION = "2023-10-01";

export interface IdentityRouteDeps {
  readonly store: IdentityStore;
  readonly issuer: TokenIssuer;
  readonly hmac: HmacVerifier;
  readonly entra?: EntraApi;
  readonly resourceId: string;
  readonly now: () => Date;
  readonly log: Logger;
  readonly onIdentityDeleted: (acsUserId: string) => Promise<void>;
}

function badRequest(message: string, code = "ValidationError"): AcsHttpError {
  return new AcsHttpError(400, code, message);
}

function parseJsonBody(request: EmulatorRequest): Record<string, unknown> {
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

function parseScopes(value: unknown, field: "scopes" | "createTokenWithScopes"): TokenScope[] {
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

function parseExpiresInMinutes(value: unknown): number {
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

/**
 * A date as ACS's .NET service writes `expiresOn`: UTC offset `+00:00`, fraction without trailing
 * zeros (`2023-10-19T15:34:47.9325159+00:00`, `…:34.505895+00:00` in identity-1.3.0).
 */
export function acsDateTime(date: Date): string {
  const iso = date.toISOString(); // 2023-10-19T15:34:47.930Z
  const [seconds = iso, fraction = ""] = iso.slice(0, -1).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${seconds}${trimmed === "" ? "" : `.${trimmed}`}+00:00`;
}

/** `8:acs:<resource GUID>_<suffix>`: a communication user rawId of some ACS resource. */
const ACS_USER_ID =
  /^8:acs:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([^_:]+)$/i;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Malformed path segment '${segment}'.`, "InvalidPath");
  }
}

type Operation =
  | { kind: "create" }
  | { kind: "issue"; id: string }
  | { kind: "revoke"; id: string }
  | { kind: "delete"; id: string }
  | { kind: "exchange" };

/** Maps method + path to an operation; undefined when the path is not an identity path. */
function matchOperation(request: EmulatorRequest): Operation | undefined {
  const segments = request.url.pathname
    .split("/")
    .filter((s) => s !== "")
    .map(decodeSegment);
  const [first, second, third, ...rest] = segments;
  const methodNotAllowed = () =>
    new AcsHttpError(
      405,
      "MethodNotAllowed",
      `${request.method} is not allowed on ${request.url.pathname}.`,
    );
  if (first === "identities") {
    if (rest.length > 0) return undefined;
    if (second === undefined) {
      if (request.method !== "POST") throw methodNotAllowed();
      return { kind: "create" };
    }
    if (third === undefined) {
      if (request.method !== "DELETE") throw methodNotAllowed();
      return { kind: "delete", id: second };
    }
    if (third === ":issueAccessToken" || third === ":revokeAccessTokens") {
      if (request.method !== "POST") throw methodNotAllowed();
      return third === ":issueAccessToken"
        ? { kind: "issue", id: second }
        : { kind: "revoke", id: second };
    }
    return undefined;
  }
  if (first === "teamsUser" && second === ":exchangeAccessToken" && third === undefined) {
    if (request.method !== "POST") throw methodNotAllowed();
    return { kind: "exchange" };
  }
  return undefined;
}

export function createIdentityRoutes(deps: IdentityRouteDeps): RouteHandler {
  const { store, issuer, now } = deps;
  const derivedCreations = new Map<string, Promise<void>>();

  async function authorize(request: EmulatorRequest): Promise<void> {
    const authorization = request.headers.authorization ?? "";
    if (/^bearer\s+/i.test(authorization)) {
      if (!deps.entra) {
        throw new AcsHttpError(
          401,
          "InvalidAuthenticationToken",
          "Entra ID tokens are not supported by this emulator build.",
        );
      }
      await deps.entra.verifyAccessToken(authorization.replace(/^bearer\s+/i, "").trim());
      return;
    }
    deps.hmac.verify(request);
  }

  /**
   * A well-formed identity of another resource: real ACS answers 401 IdentityNotOwned for issue,
   * revoke and delete (identity-1.3.0 communicationidentityclient_playbacklive_error_cases_/
   * …_invalid_user.json, the SDK test's user `8:acs:00000000-…_00000000-…`).
   */
  function checkOwned(id: string): void {
    const resource = ACS_USER_ID.exec(id)?.[1];
    if (resource !== undefined && resource.toLowerCase() !== deps.resourceId.toLowerCase()) {
      throw new AcsHttpError(
        401,
        "IdentityNotOwned",
        "Provided identity doesn't belong to the resource.",
      );
    }
  }

  function existingIdentity(id: string) {
    const identity = store.get(id);
    if (!identity || identity.deletedAt !== undefined) {
      throw new AcsHttpError(404, "IdentityNotFound", `Identity '${id}' was not found.`);
    }
    return identity;
  }

  function newIdentityId(): string {
    return `8:acs:${deps.resourceId}_${randomUUID()}`;
  }

  async function issueFor(id: string, scopes: readonly TokenScope[], minutes: number) {
    const identity = existingIdentity(id);
    const issued = await issuer.issue({
      acsUserId: id,
      scopes,
      expiresInMinutes: minutes,
      tokenGeneration: identity.tokenGeneration,
      now: now(),
    });
    return { token: issued.token, expiresOn: acsDateTime(issued.expiresOn) };
  }

  async function execute(
    operation: Operation,
    request: EmulatorRequest,
  ): Promise<EmulatorResponse> {
    switch (operation.kind) {
      case "create": {
        const body = parseJsonBody(request);
        const scopes =
          body.createTokenWithScopes === undefined
            ? undefined
            : parseScopes(body.createTokenWithScopes, "createTokenWithScopes");
        const minutes = parseExpiresInMinutes(body.expiresInMinutes);
        const identity = await store.create(newIdentityId(), now());
        const accessToken = scopes ? await issueFor(identity.id, scopes, minutes) : undefined;
        // No Location header: real ACS sends none (identity-1.3.0 …/recording_successfully_creates_a_user.json).
        return {
          status: 201,
          json: accessToken
            ? { identity: { id: identity.id }, accessToken }
            : { identity: { id: identity.id } },
        };
      }
      case "issue": {
        checkOwned(operation.id);
        const body = parseJsonBody(request);
        const scopes = parseScopes(body.scopes, "scopes");
        const minutes = parseExpiresInMinutes(body.expiresInMinutes);
        return { status: 200, json: await issueFor(operation.id, scopes, minutes) };
      }
      case "revoke": {
        checkOwned(operation.id);
        existingIdentity(operation.id);
        await store.revokeTokens(operation.id, now());
        return { status: 204 };
      }
      case "delete": {
        checkOwned(operation.id);
        existingIdentity(operation.id);
        // Chat data first: a crash in between leaves the identity in place, and a retried delete
        // completes; the other order could leave chat data of an identity that no longer exists.
        await deps.onIdentityDeleted(operation.id);
        await store.delete(operation.id, now());
        return { status: 204 };
      }
      case "exchange":
        return { status: 200, json: await exchangeTeamsToken(request) };
    }
  }

  /**
   * The Teams user token exchange: the Entra token is verified against the local Entra ID
   * (teams-exchange.ts). The result is a token for a stable ACS identity derived from (appId,
   * userId), with scopes chat and voip, expiring with the Entra token (real ACS's is for the Teams user, `8:orgid:<oid>`; see the
   * README's Differences).
   */
  async function exchangeTeamsToken(request: EmulatorRequest) {
    const { appId, userId, expiresOn } = await verifyTeamsExchange(
      parseJsonBody(request),
      deps.entra,
    );
    const digest = createHash("sha256")
      .update(`${appId.toLowerCase()}\n${userId.toLowerCase()}`)
      .digest("hex");
    const suffix = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
    const id = `8:acs:${deps.resourceId}_${suffix}`;
    // Concurrent first exchanges for one user must create the derived identity once.
    const pending = derivedCreations.get(id);
    if (pending) await pending;
    if (!store.exists(id)) {
      const creation = store.create(id, now()).then(() => undefined);
      derivedCreations.set(id, creation);
      try {
        await creation;
      } finally {
        derivedCreations.delete(id);
      }
    }
    // "A new ACS Identity access token with a matching expiration time" (the Entra token's), as
    // https://learn.microsoft.com/cli/azure/communication/user-identity/token says; at most 24 hours.
    const seconds = expiresOn - Math.floor(now().getTime() / 1000);
    return issueFor(id, ["chat", "voip"], Math.min(seconds / 60, MAX_EXPIRES_IN_MINUTES));
  }

  return async (request) => {
    const operation = matchOperation(request);
    if (!operation) return undefined;
    await authorize(request);
    const apiVersion = request.url.searchParams.get("api-version");
    if (apiVersion !== IDENTITY_API_VERSION) {
      throw badRequest(
        `api-version must be ${IDENTITY_API_VERSION} (got ${apiVersion === null ? "none" : `'${apiVersion}'`}).`,
        "UnsupportedApiVersion",
      );
    }
    return execute(operation, request);
  };
}
