// What a user's `scope` parameter asks for. Entra issues one access token per resource: the OpenID
// scopes go with any resource, bare names (User.Read) are Microsoft Graph's, and the Teams scopes are
// the Communication Services resource's, whose token a Teams user exchanges for an ACS token.
import { EntraGrantError } from "./grant-errors";

/** The audience of Entra tokens for Communication Services Teams users (Custom Teams Endpoint). */
export const TEAMS_AUDIENCE = "https://auth.msft.communication.azure.com";
export const TEAMS_SCOPES = ["Teams.ManageCalls", "Teams.ManageChats"] as const;
/** Microsoft Graph's application id: the `aud` of Graph access tokens. */
export const GRAPH_AUDIENCE = "00000003-0000-0000-c000-000000000000";
const GRAPH_RESOURCE = "https://graph.microsoft.com";

const OPENID_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

export interface RequestedScopes {
  /** openid, profile, email, offline_access: what the id_token and refresh token depend on. */
  readonly openId: ReadonlySet<string>;
  /** The access token's resource (audience). */
  readonly audience: string;
  /** The access token's `scp`, short names. */
  readonly resourceScopes: readonly string[];
  /** The scopes as granted, for the token response's `scope`. */
  readonly granted: string;
}

/** @throws EntraGrantError invalid_scope (AADSTS70011, AADSTS28000) */
export function parseUserScopes(scope: string): RequestedScopes {
  const scopes = scope.split(" ").filter(Boolean);
  const openId = new Set<string>();
  const byResource = new Map<string, string[]>();
  for (const value of scopes) {
    if (OPENID_SCOPES.has(value.toLowerCase())) {
      openId.add(value.toLowerCase());
      continue;
    }
    const { resource, name } = splitScope(value, scope);
    const names = byResource.get(resource) ?? [];
    if (!names.includes(name)) names.push(name);
    byResource.set(resource, names);
  }
  if (byResource.size > 1) {
    throw new EntraGrantError(
      "invalid_scope",
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    );
  }
  const [entry] = byResource.entries();
  const [resource, names] = entry ?? [GRAPH_RESOURCE, ["User.Read"]];
  const audience = resource === TEAMS_AUDIENCE ? TEAMS_AUDIENCE : GRAPH_AUDIENCE;
  const resourceScopes = names.includes(".default")
    ? resource === TEAMS_AUDIENCE
      ? [...TEAMS_SCOPES]
      : ["User.Read"]
    : names;
  const prefix = resource === TEAMS_AUDIENCE ? `${TEAMS_AUDIENCE}/` : "";
  return {
    openId,
    audience,
    resourceScopes,
    granted: [...resourceScopes.map((s) => `${prefix}${s}`), ...openId].join(" "),
  };
}

function splitScope(value: string, whole: string): { resource: string; name: string } {
  const slash = value.lastIndexOf("/");
  if (slash < 0) return { resource: GRAPH_RESOURCE, name: value };
  const resource = value.slice(0, slash).replace(/\/+$/, "");
  const name = value.slice(slash + 1);
  if (resource === TEAMS_AUDIENCE && (name === ".default" || isTeamsScope(name))) {
    return { resource, name: name === ".default" ? name : canonicalTeamsScope(name) };
  }
  if (resource === GRAPH_RESOURCE && name !== "") return { resource, name };
  throw new EntraGrantError(
    "invalid_scope",
    70011,
    `The provided value for the input parameter 'scope' is not valid. The scope ${whole} is not valid. The local Entra ID knows the OpenID scopes, Microsoft Graph scopes and ${TEAMS_AUDIENCE}/${TEAMS_SCOPES.join(", ")}.`,
  );
}

function isTeamsScope(name: string): boolean {
  return TEAMS_SCOPES.some((s) => s.toLowerCase() === name.toLowerCase());
}

function canonicalTeamsScope(name: string): string {
  return TEAMS_SCOPES.find((s) => s.toLowerCase() === name.toLowerCase()) ?? name;
}
