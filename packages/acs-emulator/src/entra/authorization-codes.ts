// Short-lived state of the sign-in flow, kept in memory (a restart ends sign-ins in progress, as a
// new Entra session would): authorization codes (single-use, 10 minutes, bound to the client and
// redirect URI) and refresh tokens (bound to the client and user).
import { randomBytes } from "node:crypto";

import type { SignedInUser } from "./users";

export const AUTHORIZATION_CODE_LIFETIME_SECONDS = 600;
/** Entra's refresh tokens live 90 days (inactive for 90 days: expired). */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600;

/**
 * At most this many of each are kept; past it the oldest go first. Any page can make a browser open
 * the authorize endpoint, so without a bound a hostile one could fill the emulator's memory.
 */
export const DEFAULT_SIGN_IN_LIMITS = {
  pendingSignIns: 10_000,
  codes: 10_000,
  refreshTokens: 100_000,
} as const;

export type SignInLimits = { readonly [K in keyof typeof DEFAULT_SIGN_IN_LIMITS]: number };

/** Drops a Map's oldest entries (insertion order) until it has at most `max`. */
export function trimOldest(map: Map<string, unknown>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}

export interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly tenantId: string;
  readonly user: SignedInUser;
  readonly scope: string;
  readonly nonce?: string;
  readonly codeChallenge?: { readonly value: string; readonly method: "S256" | "plain" };
}

type Redemption =
  | { readonly kind: "ok"; readonly grant: CodeGrant }
  | { readonly kind: "unknown" | "redeemed" | "expired" };

export interface RefreshGrant {
  readonly clientId: string;
  readonly tenantId: string;
  readonly user: SignedInUser;
  readonly scope: string;
}

export interface SignInGrants {
  newCode(grant: CodeGrant): string;
  /** Takes the code: a second redemption answers "redeemed". */
  redeemCode(code: string): Redemption;
  newRefreshToken(grant: RefreshGrant): string;
  /** The grant of an unexpired refresh token. */
  refresh(token: string): RefreshGrant | "expired" | undefined;
}

export function createSignInGrants(
  now: () => Date,
  limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
): SignInGrants {
  const codes = new Map<string, { grant: CodeGrant; expiresAt: number; redeemed: boolean }>();
  const refreshTokens = new Map<string, { grant: RefreshGrant; expiresAt: number }>();
  const nowMs = () => now().getTime();

  function sweep(): void {
    // Redeemed codes are remembered until they expire, to tell reuse (AADSTS54005) from garbage.
    const at = nowMs();
    // Expired ones stay an hour longer, to answer AADSTS70008 rather than "unknown".
    for (const [code, entry] of codes) if (entry.expiresAt + 3_600_000 <= at) codes.delete(code);
    for (const [token, entry] of refreshTokens)
      if (entry.expiresAt <= at) refreshTokens.delete(token);
  }

  return {
    newCode(grant) {
      sweep();
      const code = `1.emu.${randomBytes(32).toString("base64url")}`;
      codes.set(code, {
        grant,
        expiresAt: nowMs() + AUTHORIZATION_CODE_LIFETIME_SECONDS * 1000,
        redeemed: false,
      });
      trimOldest(codes, limits.codes);
      return code;
    },
    redeemCode(code) {
      const entry = codes.get(code);
      if (!entry) return { kind: "unknown" };
      if (entry.expiresAt <= nowMs()) {
        codes.delete(code);
        return { kind: "expired" };
      }
      if (entry.redeemed) return { kind: "redeemed" };
      entry.redeemed = true;
      return { kind: "ok", grant: entry.grant };
    },
    newRefreshToken(grant) {
      sweep();
      const token = `1.emu-rt.${randomBytes(48).toString("base64url")}`;
      refreshTokens.set(token, {
        grant,
        expiresAt: nowMs() + REFRESH_TOKEN_LIFETIME_SECONDS * 1000,
      });
      trimOldest(refreshTokens, limits.refreshTokens);
      return token;
    },
    refresh(token) {
      const entry = refreshTokens.get(token);
      if (!entry) return undefined;
      if (entry.expiresAt <= nowMs()) {
        refreshTokens.delete(token);
        return "expired";
      }
      return entry.grant;
    },
  };
}
