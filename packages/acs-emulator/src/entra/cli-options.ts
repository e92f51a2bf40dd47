// `--entra-principal <clientId>:<clientSecret>` (repeatable) and `--entra-tenant <tenantId>` → the
// `entra` option of startEmulator. Principals defined on the command line have the ACS grant (the
// stand-in for a role assignment): they exist to let a server use the `entra-id` model locally.
import type { EntraOptions, EntraServicePrincipal, EntraUser } from "./config";
import { ENTRA_DEFAULTS } from "./config";

/** A bad `--entra-*` value; the message names the flag and never repeats a secret. */
export class EntraCliOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EntraCliOptionError";
  }
}

/** The flags, for node:util parseArgs. */
export const ENTRA_CLI_FLAGS = {
  "entra-principal": { type: "string", multiple: true },
  "entra-tenant": { type: "string" },
  "entra-user": { type: "string", multiple: true },
  "entra-redirect-uri": { type: "string", multiple: true },
} as const;

export const ENTRA_CLI_USAGE = `  --entra-principal ID:SECRET  a local Entra ID service principal with access to ACS (repeatable)
  --entra-tenant T  tenant of the --entra-principals (default ${ENTRA_DEFAULTS.tenantId})
  --entra-user UPN:PASSWORD[:DISPLAY NAME]  a user who signs in to the principals (repeatable;
                    the password cannot contain ':')
  --entra-redirect-uri URI  a redirect URI the principals may use besides http://localhost:* and
                    http://127.0.0.1:* ones (repeatable)
`;

export interface EntraCliValues {
  /** Every `--entra-principal` value, in order. */
  readonly principals?: readonly string[];
  readonly tenant?: string;
  /** Every `--entra-user` value, in order. */
  readonly users?: readonly string[];
  /** Every `--entra-redirect-uri` value. */
  readonly redirectUris?: readonly string[];
}

// user@domain, as Entra's UPNs (no spaces, no ':' which separates the password).
const USER_PRINCIPAL_NAME =
  /^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

// What MSAL and the local authority's routes accept in a client id: no separators, no spaces.
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// A directory (tenant) id: a GUID or a verified domain such as contoso.onmicrosoft.com.
const TENANT_ID =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
// Entra answers the client-credentials grant on these aliases with an error: they name no tenant.
const TENANT_ALIASES = new Set(["common", "organizations", "consumers"]);
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** The `entra` option for the given flags, or undefined when no principal is defined. */
export function parseEntraCliOptions(values: EntraCliValues): EntraOptions | undefined {
  const principals = values.principals ?? [];
  if (values.tenant !== undefined && principals.length === 0) {
    throw new EntraCliOptionError(
      "--entra-tenant needs at least one --entra-principal <clientId>:<clientSecret> (the tenant is theirs).",
    );
  }
  const users = values.users ?? [];
  const redirectUris = values.redirectUris ?? [];
  if (principals.length === 0 && (users.length > 0 || redirectUris.length > 0)) {
    throw new EntraCliOptionError(
      `${users.length > 0 ? "--entra-user" : "--entra-redirect-uri"} needs at least one --entra-principal <clientId>:<clientSecret> (the application users sign in to).`,
    );
  }
  if (principals.length === 0) return undefined;
  // Lower case: tenant ids are case-insensitive, and MSAL lowercases the authority URL it calls.
  const tenantId = (values.tenant ?? ENTRA_DEFAULTS.tenantId).toLowerCase();
  checkTenant(tenantId);

  const seen = new Set<string>();
  const parsed: EntraServicePrincipal[] = principals.map((value, index) => {
    const { clientId, clientSecret } = splitPrincipal(value, index + 1);
    if (seen.has(clientId.toLowerCase())) {
      throw new EntraCliOptionError(
        `--entra-principal: client id '${clientId}' is given twice (client ids are unique in a tenant).`,
      );
    }
    seen.add(clientId.toLowerCase());
    return { tenantId, clientId, clientSecret, grantedAcsAccess: true };
  });
  const upns = new Set<string>();
  const parsedUsers = users.map((value, index) => {
    const user = splitUser(value, index + 1);
    if (upns.has(user.userPrincipalName.toLowerCase())) {
      throw new EntraCliOptionError(
        `--entra-user: '${user.userPrincipalName}' is given twice (user principal names are unique in a tenant).`,
      );
    }
    upns.add(user.userPrincipalName.toLowerCase());
    return user;
  });
  const parsedRedirectUris = redirectUris.map(checkRedirectUri);
  return {
    principals: parsed,
    ...(parsedUsers.length > 0 ? { users: parsedUsers } : {}),
    ...(parsedRedirectUris.length > 0 ? { redirectUris: parsedRedirectUris } : {}),
  };
}

function splitUser(value: string, position: number): EntraUser {
  const which = `--entra-user #${position}`;
  const shape = `${which} must be <upn>:<password>[:<display name>]`;
  const [upn = "", password, ...rest] = value.split(":");
  if (password === undefined) {
    throw new EntraCliOptionError(
      `${shape} (no ':' found; the value is not repeated here in case it is a password).`,
    );
  }
  if (!USER_PRINCIPAL_NAME.test(upn)) {
    throw new EntraCliOptionError(
      upn === ""
        ? `${shape}: the user principal name before ':' is empty.`
        : `${which}: '${upn}' is not a user principal name such as ada@contoso.onmicrosoft.com.`,
    );
  }
  if (password === "")
    throw new EntraCliOptionError(`${shape}: the password of '${upn}' is empty.`);
  if (CONTROL_CHARACTERS.test(password)) {
    throw new EntraCliOptionError(
      `${which}: the password of '${upn}' contains a control character.`,
    );
  }
  const displayName = rest.join(":").trim();
  if (CONTROL_CHARACTERS.test(displayName)) {
    throw new EntraCliOptionError(
      `${which}: the display name of '${upn}' contains a control character.`,
    );
  }
  return {
    userPrincipalName: upn,
    password,
    ...(displayName !== "" ? { displayName } : {}),
  };
}

function checkRedirectUri(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.hash !== "") {
    throw new EntraCliOptionError(
      `--entra-redirect-uri '${value}' must be an absolute http(s) URI without a fragment, e.g. https://app.example/api/auth/callback/microsoft-entra-id.`,
    );
  }
  return value;
}

function splitPrincipal(value: string, position: number) {
  const which = `--entra-principal #${position}`;
  const colon = value.indexOf(":");
  if (colon < 0) {
    throw new EntraCliOptionError(
      `${which} must be <clientId>:<clientSecret> (no ':' found; the value is not repeated here in case it is a secret).`,
    );
  }
  const clientId = value.slice(0, colon);
  const clientSecret = value.slice(colon + 1);
  if (!CLIENT_ID.test(clientId)) {
    throw new EntraCliOptionError(
      clientId === ""
        ? `${which} must be <clientId>:<clientSecret>: the client id before ':' is empty.`
        : `${which}: client id '${clientId}' must be 1-128 letters, digits, '.', '_' or '-' (e.g. a GUID), starting with a letter or digit.`,
    );
  }
  if (clientSecret === "") {
    throw new EntraCliOptionError(
      `${which} must be <clientId>:<clientSecret>: the secret of '${clientId}' after ':' is empty.`,
    );
  }
  if (CONTROL_CHARACTERS.test(clientSecret)) {
    throw new EntraCliOptionError(
      `${which}: the secret of '${clientId}' contains a control character.`,
    );
  }
  return { clientId, clientSecret };
}

function checkTenant(tenantId: string): void {
  if (TENANT_ALIASES.has(tenantId.toLowerCase())) {
    throw new EntraCliOptionError(
      `--entra-tenant '${tenantId}' is a multi-tenant alias, not a tenant: a service principal gets tokens from its own tenant (a GUID or a domain).`,
    );
  }
  if (tenantId.length > 253 || !TENANT_ID.test(tenantId)) {
    throw new EntraCliOptionError(
      `--entra-tenant must be a tenant id (a GUID such as ${ENTRA_DEFAULTS.tenantId}) or a domain such as contoso.onmicrosoft.com, got '${tenantId}'.`,
    );
  }
}

/** What another process needs to aim `@azure/identity` at this emulator: AZURE_AUTHORITY_HOST and AZURE_TENANT_ID. */
export function entraAuthority(
  endpoint: string,
  entra: EntraOptions,
): { authorityHost: string; tenantId: string } {
  return {
    authorityHost: endpoint.replace(/\/+$/, ""),
    tenantId: entra.principals?.[0]?.tenantId ?? ENTRA_DEFAULTS.tenantId,
  };
}
