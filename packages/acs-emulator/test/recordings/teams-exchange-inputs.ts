// The Teams user token exchange's inputs: the recordings sanitise its whole body, so the replay
// signs the upstream test's Entra token with the emulator's local Entra ID and rebuilds each case.
import path from "node:path";
import type { RunningEmulator } from "../../src/index";

/** The upstream test's Entra application and Teams user (getTokenForTeamsUser.spec.ts inputs). */
export const TEAMS_APP_ID = "4c7ef6f7-46f4-4b6b-9d33-4fd1e3c3f1a1";
export const TEAMS_USER_ID = "b1c6c3a5-5a63-4c1e-8d47-0e3f5f1b2c90";
const TEAMS_USER_UPN = "teams-user@recordings.example";

/** Entra options under which the local Entra ID knows that application and user (add to `entra`). */
export function teamsEntraOptions(tenantId: string) {
  return {
    principals: [
      { tenantId, clientId: TEAMS_APP_ID, clientSecret: "teams-app", grantedAcsAccess: false },
    ],
    users: [{ userPrincipalName: TEAMS_USER_UPN, password: "teams-user", objectId: TEAMS_USER_ID }],
  };
}

/** Signs the Teams user's Entra token with the emulator's local Entra ID (≤ 0 s: already expired). */
export type TeamsTokenSource = (lifetimeSeconds?: number) => Promise<string>;

export function teamsTokenSource(emulator: Pick<RunningEmulator, "entra">): TeamsTokenSource {
  return (lifetimeSeconds) => {
    if (!emulator.entra) throw new Error("the emulator was started without entra options");
    return emulator.entra.issueUserAccessToken({
      clientId: TEAMS_APP_ID,
      userPrincipalName: TEAMS_USER_UPN,
      scopes: [
        "https://auth.msft.communication.azure.com/Teams.ManageCalls",
        "https://auth.msft.communication.azure.com/Teams.ManageChats",
      ],
      ...(lifetimeSeconds !== undefined ? { lifetimeSeconds } : {}),
    });
  };
}

/**
 * The Teams exchange recordings sanitise the whole body; rebuild it from the upstream test's inputs
 * (getTokenForTeamsUser.spec.ts): a token of app A for user U signed by the local Entra ID, and per
 * case one bad field.
 */
export async function teamsExchangeBody(
  file: string,
  teamsToken: TeamsTokenSource,
): Promise<Record<string, string>> {
  const appId = TEAMS_APP_ID;
  const userId = TEAMS_USER_ID;
  const name = path.basename(file);
  const token = await teamsToken();
  // Only the expired case signs a second token (with a lifetime in the past).
  const expired = name.includes("expired") ? await teamsToken(-3600) : token;
  const cases: Record<string, Record<string, string>> = {
    ltan_empty_teamsuseraadtokengt: { token: "", appId, userId: appId },
    ltan_invalid_teamsuseraadtokengt: { token: "invalid", appId, userId: appId },
    ltan_expired_teamsuseraadtokengt: { token: expired, appId, userId: appId },
    ltan_empty_clientidgt: { token, appId: "", userId },
    ltan_invalid_clientidgt: { token, appId: "invalid", userId },
    lta_wrong_clientidgt: { token, appId: userId, userId },
    ltan_empty_userobjectidgt: { token, appId, userId: "" },
    ltan_invalid_userobjectidgt: { token, appId, userId: "invalid" },
    lta_wrong_userobjectidgt: { token, appId, userId: appId },
  };
  for (const [key, body] of Object.entries(cases)) if (name.includes(key)) return body;
  return { token, appId, userId };
}
