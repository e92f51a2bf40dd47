// Identity API (api-version 2023-10-01): the five operations of CommunicationIdentityClient,
// authorised by HMAC-SHA256 (access key) or an Entra ID bearer token.
import { createHash, randomUUID } from "node:crypto";
import type { HmacVerifier } from "../auth/hmac";
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

export const IDENTITY_API_VERSION = "2023-10-01";

/** Lifetime of tokens exchanged for a Teams user's Entra token. */
const TEAMS_TOKEN_MINUTES = 60;

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

function parseScopes(value: unknown, field: string): TokenScope[] {
  if (!Array.isArray(value)) throw badRequest(`'${field}' must be an array of scopes.`);
  if (value.length === 0) throw badRequest(`'${field}' must name at least one scope.`);
  const scopes: TokenScope[] = [];
  for (const scope of value) {
    if (!isTokenScope(scope)) {
      throw badRequest(
        `Invalid scope ${JSON.stringify(scope)} in '${field}'; allowed: ${TOKEN_SCOPES.join(", ")}.`,
      );
    }
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  return scopes;
}

function parseExpiresInMinutes(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_EXPIRES_IN_MINUTES;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw badRequest("'expiresInMinutes' must be an integer.");
  }
  if (value < MIN_EXPIRES_IN_MINUTES || value > MAX_EXPIRES_IN_MINUTES) {
    throw badRequest(
      `'expiresInMinutes' must be within [${MIN_EXPIRES_IN_MINUTES},${MAX_EXPIRES_IN_MINUTES}] minutes, got ${value}.`,
    );
  }
  return value;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Malformed path segment '${segment}'.`, "InvalidPath");
  }
}

/** Decodes the payload of a JWT-shaped token without verifying it (Teams exchange emulation). */
function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
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
    return { token: issued.token, expiresOn: issued.expiresOn.toISOString() };
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
        return {
          status: 201,
          headers: { location: `/identities/${encodeURIComponent(identity.id)}` },
          json: accessToken
            ? { identity: { id: identity.id }, accessToken }
            : { identity: { id: identity.id } },
        };
      }
      case "issue": {
        const body = parseJsonBody(request);
        const scopes = parseScopes(body.scopes, "scopes");
        const minutes = parseExpiresInMinutes(body.expiresInMinutes);
        return { status: 200, json: await issueFor(operation.id, scopes, minutes) };
      }
      case "revoke": {
        existingIdentity(operation.id);
        await store.revokeTokens(operation.id, now());
        return { status: 204 };
      }
      case "delete": {
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
   * Emulation of the Teams user token exchange: the AAD token must be JWT-shaped, unexpired, and
   * (when it carries them) its `appid`/`azp` and `oid` claims must match appId and userId. Its
   * signature is not checked. The result is a token for a stable ACS identity derived from
   * (appId, userId), with scopes chat and voip.
   */
  async function exchangeTeamsToken(request: EmulatorRequest) {
    const body = parseJsonBody(request);
    const { token, appId, userId } = body;
    for (const [name, value] of Object.entries({ token, appId, userId })) {
      if (typeof value !== "string" || value.trim() === "")
        throw badRequest(`'${name}' is required.`);
    }
    const payload = decodeJwtPayload(token as string);
    if (!payload) {
      throw new AcsHttpError(
        401,
        "InvalidAccessToken",
        "The Teams user's Azure AD token is not a JWT.",
      );
    }
    if (typeof payload.exp === "number" && payload.exp * 1000 <= now().getTime()) {
      throw new AcsHttpError(
        401,
        "InvalidAccessToken",
        "The Teams user's Azure AD token has expired.",
      );
    }
    const tokenAppId = payload.appid ?? payload.azp;
    if (typeof tokenAppId === "string" && tokenAppId !== appId) {
      throw badRequest(
        "appId does not match the appid claim of the Azure AD token.",
        "InvalidAppId",
      );
    }
    if (typeof payload.oid === "string" && payload.oid !== userId) {
      throw badRequest(
        "userId does not match the oid claim of the Azure AD token.",
        "InvalidUserId",
      );
    }
    const digest = createHash("sha256")
      .update(`${appId as string}\n${userId as string}`)
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
    return issueFor(id, ["chat", "voip"], TEAMS_TOKEN_MINUTES);
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
