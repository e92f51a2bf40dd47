// `GET /{tenant}[/v2.0]/.well-known/openid-configuration`: the OpenID discovery document MSAL and
// OpenID clients read first (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc).

/** The discovery document of the tenant whose base URL (`https://host/{tenant}`) is `base`. */
export function openIdConfiguration(base: string) {
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    // Entra names Graph's (https://graph.microsoft.com/oidc/userinfo); this one is local.
    userinfo_endpoint: `${new URL(base).origin}/oidc/userinfo`,
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "nbf",
      "nonce",
      "oid",
      "tid",
      "name",
      "preferred_username",
      "email",
      "ver",
    ],
    request_uri_parameter_supported: false,
    tenant_region_scope: null,
    cloud_instance_name: "acs-emulator.local",
    cloud_graph_host_name: "graph.acs-emulator.local",
    msgraph_host: "graph.acs-emulator.local",
  };
}
