// Entra access tokens of Teams users for the exchange tests, issued by the emulator's local Entra ID
// (signed with its key, as Entra signs them), and a copy re-signed with a key Entra never had.
import type { RunningEmulator } from "@acs-stack/acs-emulator";
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";

/** The delegated ACS permissions a Teams user's token carries (Custom Teams Endpoint). */
export const TEAMS_SCOPES = [
  "https://auth.msft.communication.azure.com/Teams.ManageCalls",
  "https://auth.msft.communication.azure.com/Teams.ManageChats",
];

export function teamsAccessToken(
  emulator: RunningEmulator,
  who: {
    clientId: string;
    userPrincipalName: string;
    lifetimeSeconds?: number;
    /** Default TEAMS_SCOPES; e.g. ["openid", "User.Read"] gives a Microsoft Graph token. */
    scopes?: string[];
  },
): Promise<string> {
  const entra = emulator.entra;
  if (!entra) throw new Error("start the emulator with `entra` options to issue Entra tokens");
  return entra.issueUserAccessToken({
    clientId: who.clientId,
    userPrincipalName: who.userPrincipalName,
    scopes: who.scopes ?? TEAMS_SCOPES,
    ...(who.lifetimeSeconds !== undefined ? { lifetimeSeconds: who.lifetimeSeconds } : {}),
  });
}

/** The same header and claims, signed by a key the local Entra ID does not publish (a forgery). */
export async function forgedCopyOf(token: string): Promise<string> {
  const { privateKey } = await generateKeyPair("RS256");
  const header = decodeProtectedHeader(token);
  return new SignJWT(decodeJwt(token))
    .setProtectedHeader({ ...header, alg: "RS256" })
    .sign(privateKey);
}
