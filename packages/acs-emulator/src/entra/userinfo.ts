// `GET /oidc/userinfo`: the OpenID Connect UserInfo endpoint the discovery document names (Entra's is
// Graph's, https://learn.microsoft.com/entra/identity-platform/userinfo), for a Graph access token of
// the local Entra ID. OpenID clients such as next-auth require it in the discovery document.
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { EntraTokenService } from "./tokens";
import { GRAPH_AUDIENCE } from "./user-scopes";

export async function userInfo(
  request: EmulatorRequest,
  tokens: EntraTokenService,
): Promise<EmulatorResponse> {
  if (request.method !== "GET" && request.method !== "POST") {
    return { status: 405, headers: { allow: "GET, POST" } };
  }
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const refuse = (error: string) => ({
    status: 401,
    headers: { "www-authenticate": `Bearer error="${error}"` },
    json: {
      error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." },
    },
  });
  if (!token) return refuse("invalid_request");
  try {
    const claims = await tokens.verifyFor(token, GRAPH_AUDIENCE);
    return {
      status: 200,
      json: {
        sub: claims.sub,
        name: claims.name,
        ...(typeof claims.email === "string" ? { email: claims.email } : {}),
      },
    };
  } catch {
    return refuse("invalid_token");
  }
}
