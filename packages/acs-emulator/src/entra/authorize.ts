// `GET|POST /{tenant}/oauth2/v2.0/authorize`: the authorization-code flow's front half, as Entra runs
// it (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow). A request with a
// known client and an allowed redirect URI gets the sign-in form; the form posts back here with the
// pending sign-in's id, and good credentials redirect to the redirect URI with `code` and `state`.
// Errors before the redirect URI is trusted are pages (never a redirect); later ones redirect.
import { randomBytes } from "node:crypto";

import type { Logger } from "../modules";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { DEFAULT_SIGN_IN_LIMITS, trimOldest, type SignInGrants } from "./authorization-codes";
import type { EntraServicePrincipal } from "./config";
import { EntraGrantError } from "./grant-errors";
import { errorPage, signInPage } from "./sign-in-page";
import { parseUserScopes } from "./user-scopes";
import type { EntraUserDirectory } from "./users";

/** How long the sign-in form stays valid. */
const PENDING_SIGN_IN_SECONDS = 600;
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

export const INVALID_CREDENTIALS =
  "AADSTS50126: Error validating credentials due to invalid username or password.";

export interface AuthorizeDeps {
  readonly principals: readonly EntraServicePrincipal[];
  readonly users: EntraUserDirectory;
  readonly grants: SignInGrants;
  /** Redirect URIs allowed besides loopback `http://localhost:*` / `http://127.0.0.1:*` ones. */
  readonly redirectUris: readonly string[];
  readonly now: () => Date;
  readonly log: Logger;
  /** Default DEFAULT_SIGN_IN_LIMITS.pendingSignIns. */
  readonly maxPendingSignIns?: number;
}

interface PendingSignIn {
  readonly tenantId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state?: string;
  readonly nonce?: string;
  readonly codeChallenge?: { readonly value: string; readonly method: "S256" | "plain" };
  readonly expiresAt: number;
}

/** Any `http://localhost` or `http://127.0.0.1` URI (any port and path, as Entra allows for loopback). */
export function isLoopbackRedirectUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (
      url.protocol === "http:" &&
      (url.hostname === "localhost" || url.hostname === "127.0.0.1") &&
      url.hash === "" &&
      url.username === "" &&
      url.password === ""
    );
  } catch {
    return false;
  }
}

export type AuthorizeEndpoint = ReturnType<typeof createAuthorizeEndpoint>;

export function createAuthorizeEndpoint(deps: AuthorizeDeps) {
  const pending = new Map<string, PendingSignIn>();
  const nowMs = () => deps.now().getTime();

  function redirectAllowed(uri: string): boolean {
    return isLoopbackRedirectUri(uri) || deps.redirectUris.includes(uri);
  }

  function redirect(redirectUri: string, params: Record<string, string | undefined>) {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    return { status: 302, headers: { location: url.toString(), "cache-control": "no-store" } };
  }

  function redirectError(redirectUri: string, error: EntraGrantError, state: string | undefined) {
    return redirect(redirectUri, {
      error: error.error,
      error_description: `AADSTS${error.aadsts}: ${error.description}`,
      error_codes: String(error.aadsts),
      state,
    });
  }

  /** A new authorization request: checks it and shows the form. */
  function start(tenant: string, params: URLSearchParams): EmulatorResponse {
    const clientId = params.get("client_id");
    if (!clientId) {
      return errorPage(
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    const client = deps.principals.find((p) => p.tenantId === tenant && p.clientId === clientId);
    if (!client) {
      return errorPage(
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const redirectUri = params.get("redirect_uri");
    if (!redirectUri) {
      return errorPage(
        900144,
        "The request body must contain the following parameter: 'redirect_uri'.",
      );
    }
    if (!redirectAllowed(redirectUri)) {
      return errorPage(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
      );
    }
    const state = params.get("state") ?? undefined;
    try {
      const request = checkParameters(params);
      const flow = randomBytes(24).toString("base64url");
      pending.set(flow, {
        tenantId: tenant,
        clientId,
        redirectUri,
        ...request,
        ...(state !== undefined ? { state } : {}),
        expiresAt: nowMs() + PENDING_SIGN_IN_SECONDS * 1000,
      });
      sweep();
      trimOldest(pending, deps.maxPendingSignIns ?? DEFAULT_SIGN_IN_LIMITS.pendingSignIns);
      return signInPage({
        flow,
        clientId,
        redirectOrigin: new URL(redirectUri).origin,
        ...(params.get("login_hint") ? { username: params.get("login_hint") ?? "" } : {}),
      });
    } catch (error) {
      if (error instanceof EntraGrantError) return redirectError(redirectUri, error, state);
      throw error;
    }
  }

  /** The form's answer: credentials for a pending sign-in. */
  function complete(request: EmulatorRequest, form: URLSearchParams): EmulatorResponse {
    if (!postedByOwnPage(request)) {
      deps.log.warn("entra: sign-in form posted from another site, refused");
      return errorPage(
        90014,
        "The sign-in form must be posted from the sign-in page itself. Start again from the application.",
      );
    }
    const flow = form.get("flow") ?? "";
    const signIn = pending.get(flow);
    if (!signIn || signIn.expiresAt <= nowMs()) {
      pending.delete(flow);
      return errorPage(
        50058,
        "The sign-in session has expired or is unknown. Start again from the application.",
      );
    }
    const username = form.get("username") ?? "";
    const user = deps.users.signIn(username, form.get("password") ?? "");
    if (!user || user.tenantId !== signIn.tenantId) {
      deps.log.info("entra: sign-in refused (AADSTS50126)", { clientId: signIn.clientId });
      return signInPage({
        flow,
        clientId: signIn.clientId,
        redirectOrigin: new URL(signIn.redirectUri).origin,
        username,
        error: INVALID_CREDENTIALS,
      });
    }
    pending.delete(flow);
    const code = deps.grants.newCode({
      clientId: signIn.clientId,
      redirectUri: signIn.redirectUri,
      tenantId: signIn.tenantId,
      user,
      scope: signIn.scope,
      ...(signIn.nonce !== undefined ? { nonce: signIn.nonce } : {}),
      ...(signIn.codeChallenge ? { codeChallenge: signIn.codeChallenge } : {}),
    });
    deps.log.info("entra: user signed in", { clientId: signIn.clientId, oid: user.objectId });
    return redirect(signIn.redirectUri, { code, state: signIn.state });
  }

  function sweep(): void {
    const at = nowMs();
    for (const [flow, entry] of pending) if (entry.expiresAt <= at) pending.delete(flow);
  }

  return {
    handle(request: EmulatorRequest, tenant: string): EmulatorResponse {
      if (request.method === "GET") return start(tenant, request.url.searchParams);
      if (request.method !== "POST") {
        return { status: 405, headers: { allow: "GET, POST" }, json: { error: "invalid_request" } };
      }
      const form = new URLSearchParams(request.body.toString("utf8"));
      // OpenID Connect lets the authorization request itself be a form POST.
      return form.has("flow") ? complete(request, form) : start(tenant, form);
    },
  };
}

function checkParameters(params: URLSearchParams) {
  const responseType = params.get("response_type");
  if (!responseType) {
    throw new EntraGrantError(
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'response_type'.",
    );
  }
  if (responseType !== "code") {
    throw new EntraGrantError(
      "unsupported_response_type",
      700054,
      `response_type '${responseType}' is not enabled for the application. The local Entra ID serves the authorization-code flow (response_type=code) only.`,
    );
  }
  const responseMode = params.get("response_mode");
  if (responseMode !== null && responseMode !== "query") {
    throw new EntraGrantError(
      "invalid_request",
      90013,
      `response_mode '${responseMode}' is not supported by the local Entra ID; use query (the default).`,
    );
  }
  const scope = params.get("scope");
  if (!scope) {
    throw new EntraGrantError(
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'scope'.",
    );
  }
  parseUserScopes(scope); // throws invalid_scope
  const challenge = params.get("code_challenge");
  const method = params.get("code_challenge_method") ?? "plain"; // RFC 7636 §4.3
  let codeChallenge: PendingSignIn["codeChallenge"];
  if (challenge !== null) {
    if (!CODE_CHALLENGE.test(challenge)) {
      throw new EntraGrantError(
        "invalid_request",
        501491,
        "Invalid size of Code_Challenge parameter.",
      );
    }
    if (method !== "S256" && method !== "plain") {
      throw new EntraGrantError(
        "invalid_request",
        50002,
        `The code_challenge_method '${method}' is not supported; use S256.`,
      );
    }
    codeChallenge = { value: challenge, method };
  }
  const nonce = params.get("nonce") ?? undefined;
  return {
    scope,
    ...(nonce !== undefined ? { nonce } : {}),
    ...(codeChallenge ? { codeChallenge } : {}),
  };
}

/**
 * Login CSRF guard: a page of another site must not post credentials (its own, signing the victim
 * in as the attacker). The form is same-origin, so a browser sends this origin (or no Origin), and
 * `Sec-Fetch-Site: same-origin`; the pending sign-in's id also has to be read from the form, which
 * CORS keeps from other sites' pages.
 */
function postedByOwnPage(request: EmulatorRequest): boolean {
  const origin = request.headers.origin;
  const own = `${request.scheme}://${request.headers.host ?? ""}`.toLowerCase();
  if (origin !== undefined && origin.toLowerCase() !== own) return false;
  const site = request.headers["sec-fetch-site"];
  return site === undefined || site === "same-origin" || site === "none";
}
