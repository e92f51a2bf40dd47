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
import { MAX_EXPIRES_IN_MINUTES, type TokenScope } from "../tokens/scopes";
import { acsDateTime } from "./acs-date-time";
import { matchOperation, type IdentityOperation } from "./operations";
import { badRequest, parseExpiresInMinutes, parseJsonBody, parseScopes } from "./requests";
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

/** `8:acs:<resource GUID>_<suffix>`: a communication user rawId of some ACS resource. */
const ACS_USER_ID =
  /^8:acs:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([^_:]+)$/i;

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
    operation: IdentityOperation,
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
