// Checks a Teams user's token exchange (`POST /teamsUser/:exchangeAccessToken`) as real ACS does:
// the Entra access token must be signed by the local Entra ID (RS256, its JWKS key), for audience
// https://auth.msft.communication.azure.com, unexpired, issued to `appId` (`appid`/`azp`) for the
// user `userId` (`oid`). Every refusal uses real ACS's status, code, message and target, in its
// order (../shared/acs-recordings/identity-1.3.0/get_token_for_teams_user_playbacklive/…).
import { unversioned, validationError } from "../http/errors";
import { AcsHttpError } from "../http/types";
import type { EntraApi } from "../modules";

/** The audience of the Entra tokens ACS exchanges (Custom Teams Endpoint). */
export const TEAMS_TOKEN_AUDIENCE = "https://auth.msft.communication.azure.com";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TeamsExchange {
  /** The Entra application (client) id. */
  readonly appId: string;
  /** The Teams user's Entra object id. */
  readonly userId: string;
  /** The Entra token's `exp` (seconds): real ACS's token expires with it. */
  readonly expiresOn: number;
}

/** @throws AcsHttpError as real ACS answers the refusal */
export async function verifyTeamsExchange(
  body: Record<string, unknown>,
  entra: EntraApi | undefined,
): Promise<TeamsExchange> {
  const { token, appId, userId } = body;
  // Model validation runs before ACS's versioned API: these answers carry no api-supported-versions.
  if (typeof appId !== "string" || appId === "") {
    throw unversioned(validationError("AppId: The AppId field is required.", "AppId"));
  }
  if (typeof userId !== "string" || userId === "") {
    throw unversioned(validationError("UserId: The UserId field is required.", "UserId"));
  }
  const invalidAppId = () => validationError("Provided AppId has invalid format.", "appId");
  const invalidUserId = () => validationError("Provided UserId has invalid format.", "userId");
  if (!GUID.test(appId)) throw invalidAppId();
  if (!GUID.test(userId)) throw invalidUserId();
  const claims = await verifiedClaims(token, entra);
  const tokenAppId = claims.appid ?? claims.azp;
  if (
    typeof tokenAppId !== "string" ||
    typeof claims.oid !== "string" ||
    typeof claims.exp !== "number"
  ) {
    throw invalidToken();
  }
  if (tokenAppId.toLowerCase() !== appId.toLowerCase()) throw invalidAppId();
  if (claims.oid.toLowerCase() !== userId.toLowerCase()) throw invalidUserId();
  return { appId, userId, expiresOn: claims.exp };
}

async function verifiedClaims(token: unknown, entra: EntraApi | undefined) {
  if (typeof token !== "string" || token === "" || !entra) throw invalidToken();
  try {
    return await entra.verifyUserToken(token, TEAMS_TOKEN_AUDIENCE);
  } catch {
    // Forged, tampered, of another authority or audience, expired: ACS says no more than this.
    throw invalidToken();
  }
}

function invalidToken(): AcsHttpError {
  return unversioned(
    new AcsHttpError(401, "InvalidAccessToken", "Provided access token is not valid."),
  );
}
