// A token as the credential holds it: the server's response with its expiry moved to the local
// clock (corrected for the skew measured around the fetch) and the time its proactive refresh is due.
import type { AccessToken } from "@azure/core-auth";
import { InvalidTokenResponseError } from "./errors";
import type { TokenResponse } from "./types";

export interface HeldToken {
  readonly response: TokenResponse;
  /** Expiry on the local clock. */
  readonly expiresOnLocal: number;
  /** When the proactive refresh is due, local clock. */
  readonly refreshAtLocal: number;
  /** ACS answered 401 for it: never hand it out again. */
  invalidated: boolean;
}

/** Still worth handing out: not refused by ACS and more than `marginMs` from expiry. */
export function isUsable(
  token: HeldToken | undefined,
  marginMs: number,
  nowLocal: number,
): token is HeldToken {
  return token !== undefined && !token.invalidated && token.expiresOnLocal - marginMs > nowLocal;
}

export function toAccessToken(token: HeldToken): AccessToken {
  return { token: token.response.token, expiresOnTimestamp: token.expiresOnLocal };
}

/**
 * Checks a fetched response and moves its expiry to the local clock. The skew is the server time
 * minus the local midpoint of the fetch; without a server time the clocks are assumed to agree.
 */
export function parseTokenResponse(
  response: TokenResponse,
  fetch: { startedLocal: number; endedLocal: number },
  marginMs: number,
  refreshAt: (expiresOnLocal: number, fromLocal: number) => number,
): { token: HeldToken; clockSkewMs: number } {
  if (typeof response?.token !== "string" || response.token.length === 0) {
    throw new InvalidTokenResponseError("missing token");
  }
  const expiresOnServer = Date.parse(response.expiresOn);
  const serverTime = Date.parse(response.serverTime);
  if (Number.isNaN(expiresOnServer)) throw new InvalidTokenResponseError("expiresOn is not a date");
  const skew = Number.isNaN(serverTime)
    ? 0
    : serverTime - (fetch.startedLocal + fetch.endedLocal) / 2;
  const expiresOnLocal = expiresOnServer - skew;
  if (expiresOnLocal - marginMs <= fetch.endedLocal) {
    throw new InvalidTokenResponseError("the token is already expired");
  }
  return {
    token: {
      response,
      expiresOnLocal,
      refreshAtLocal: refreshAt(expiresOnLocal, fetch.endedLocal),
      invalidated: false,
    },
    clockSkewMs: Math.round(skew),
  };
}
