// Signs the local authority's access tokens (RS256) and verifies them where ACS would: the Identity API.
import { createPublicKey, type KeyObject } from "node:crypto";
import type { JWK, JWTPayload } from "jose";
import { SignJWT, calculateJwkThumbprint, errors, exportJWK, jwtVerify } from "jose";

import { AcsHttpError } from "../http/types";
import type { KnownPrincipal } from "./config";
import type { EntraSigningKeySource } from "./signing-key";

/** The audience ACS accepts; MSAL asks for `https://communication.azure.com//.default` (sic). */
export const ACS_AUDIENCE = "https://communication.azure.com";

interface KeyMaterial {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: JWK;
}

export interface EntraTokenService {
  jwks(): Promise<{ keys: JWK[] }>;
  issue(principal: KnownPrincipal, issuer: string): Promise<{ token: string; expiresOn: number }>;
  /** Returns the token's claims or throws AcsHttpError 401. */
  verify(token: string): Promise<{ oid: string; appid?: string }>;
  /** Signs any claims (users' id and access tokens) with the JWKS key; `iat`/`nbf`/`exp` are added. */
  sign(
    claims: JWTPayload,
    lifetimeSeconds: number,
  ): Promise<{ token: string; issuedAt: number; expiresOn: number }>;
  /** The claims of a token this authority signed for `audience`, unexpired; throws (jose errors) otherwise. */
  verifyFor(token: string, audience: string): Promise<JWTPayload>;
}

export function createEntraTokenService(
  now: () => Date,
  lifetimeSeconds: number,
  signingKey: EntraSigningKeySource,
): EntraTokenService {
  // Loaded on first use (a new RSA key takes tens of ms, and most runs never use Entra ID). The kid is
  // the key's JWK thumbprint, so a key kept in the data dir gives the same JWKS after a restart.
  let material: Promise<KeyMaterial> | undefined;
  const keys = () =>
    (material ??= (async () => {
      const privateKey = await signingKey();
      const publicKey = createPublicKey(privateKey);
      const jwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      return { privateKey, publicKey, publicJwk: { ...jwk, kid, use: "sig", alg: "RS256" } };
    })().catch((error: unknown) => {
      material = undefined; // e.g. the key file could not be written: try again on the next request
      throw error;
    }));

  return {
    async jwks() {
      return { keys: [(await keys()).publicJwk] };
    },

    async issue(principal, issuer) {
      const { privateKey, publicJwk } = await keys();
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresOn = issuedAt + lifetimeSeconds;
      const token = await new SignJWT({
        oid: principal.objectId,
        sub: principal.objectId,
        appid: principal.appId,
        azp: principal.appId,
        tid: principal.tenantId,
        idtyp: "app",
        ver: "1.0",
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: publicJwk.kid ?? "" })
        .setIssuer(issuer)
        .setAudience(ACS_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(expiresOn)
        .sign(privateKey);
      return { token, expiresOn };
    },

    async sign(claims, lifetime) {
      const { privateKey, publicJwk } = await keys();
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresOn = issuedAt + lifetime;
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: publicJwk.kid ?? "" })
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(expiresOn)
        .sign(privateKey);
      return { token, issuedAt, expiresOn };
    },

    async verifyFor(token, audience) {
      const { publicKey } = await keys();
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["RS256"],
        audience,
        currentDate: now(),
        requiredClaims: ["exp", "iss"],
      });
      return payload;
    },

    async verify(token) {
      const { publicKey } = await keys();
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ["RS256"],
          audience: [ACS_AUDIENCE, `${ACS_AUDIENCE}/`],
          currentDate: now(),
        });
        if (typeof payload.oid !== "string") {
          throw new AcsHttpError(
            401,
            "InvalidAuthenticationToken",
            "The access token has no oid claim.",
          );
        }
        return {
          oid: payload.oid,
          ...(typeof payload.appid === "string" ? { appid: payload.appid } : {}),
        };
      } catch (error) {
        throw toUnauthorized(error);
      }
    },
  };
}

function toUnauthorized(error: unknown): AcsHttpError {
  if (error instanceof AcsHttpError) return error;
  if (error instanceof errors.JWTExpired) {
    return new AcsHttpError(401, "InvalidAuthenticationToken", "The access token is expired.");
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
    return new AcsHttpError(
      401,
      "InvalidAuthenticationToken",
      `The access token's audience is not ${ACS_AUDIENCE}.`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AcsHttpError(
      401,
      "InvalidAuthenticationToken",
      "The access token signature is invalid.",
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AcsHttpError(
    401,
    "InvalidAuthenticationToken",
    `The access token is invalid: ${reason}`,
  );
}
