// "Sign in with Microsoft Entra ID" as configured (README "Sign in with Microsoft Entra ID"): the
// client, the issuer, which scopes a sign-in asks for, and the extra CA its HTTPS may need.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { env } from "~/env";

export const ENTRA_PROVIDER_ID = "microsoft-entra-id";

/** Delegated Azure Communication Services permissions of a Teams user (Custom Teams Endpoint). */
export const TEAMS_SCOPES = [
  "https://auth.msft.communication.azure.com/Teams.ManageCalls",
  "https://auth.msft.communication.azure.com/Teams.ManageChats",
] as const;

export interface EntraSettings {
  clientId: string;
  clientSecret: string;
  /** `https://login.microsoftonline.com/<tenant>/v2.0` (next-auth's default: the `common` tenant). */
  issuer: string | undefined;
  /** Sign-ins ask for the Teams scopes and keep the tokens server-side (entra/token-store.ts). */
  teams: boolean;
  /** Space-separated, as the authorize request carries them. */
  scope: string;
  /** File of extra trusted CA certificates (PEM) for the issuer's HTTPS, e.g. the emulator's. */
  caFile: string | undefined;
}

export function entraSettings(): EntraSettings | null {
  const clientId = env.AUTH_MICROSOFT_ENTRA_ID_ID;
  const clientSecret = env.AUTH_MICROSOFT_ENTRA_ID_SECRET;
  if (!clientId || !clientSecret) return null;
  const teams = env.AUTH_MICROSOFT_ENTRA_ID_TEAMS === true;
  // Without Teams no resource scope: the id_token says who signed in, the app calls no Microsoft API.
  const scope = teams
    ? ["openid", "profile", "email", "offline_access", ...TEAMS_SCOPES].join(" ")
    : "openid profile email";
  return {
    clientId,
    clientSecret,
    issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER,
    teams,
    scope,
    caFile: env.AUTH_MICROSOFT_ENTRA_ID_CA_FILE,
  };
}

let caCache: { file: string; pem: string } | undefined;

/** The configured CA file's PEM, read once per process (null when none is configured). */
export function extraCaPem(settings: Pick<EntraSettings, "caFile">): string | null {
  if (!settings.caFile) return null;
  if (caCache?.file !== settings.caFile) {
    const pem = readFileSync(resolve(/*turbopackIgnore: true*/ settings.caFile), "utf8");
    if (!pem.includes("BEGIN CERTIFICATE"))
      throw new Error("AUTH_MICROSOFT_ENTRA_ID_CA_FILE holds no PEM certificate.");
    caCache = { file: settings.caFile, pem };
  }
  return caCache.pem;
}
