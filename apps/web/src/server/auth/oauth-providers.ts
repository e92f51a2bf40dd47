// The OAuth providers this deployment offers (their buttons on the start page). Reads the
// environment only, so the start page (a Pages Router page, no database) can list them too.
import { env } from "~/env";

export interface OAuthProviderOption {
  id: string;
  name: string;
}

export function configuredOAuthProviders(): OAuthProviderOption[] {
  const providers: OAuthProviderOption[] = [];
  if (env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    providers.push({ id: "microsoft-entra-id", name: "Microsoft Entra ID" });
  }
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET)
    providers.push({ id: "github", name: "GitHub" });
  return providers;
}
