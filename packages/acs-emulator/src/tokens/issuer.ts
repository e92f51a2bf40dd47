// Issues ACS user access tokens: RS256 JWTs with the claims a real ACS token carries
// (skypeid, scp, csi, iat, exp, acsScope, resourceId, resourceLocation) plus `tgen`, the
// identity's token generation, which is how revocation is decided to the exact request.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { exportJWK, SignJWT, type JWK } from "jose";
import type { SigningKeyMaterial } from "../certs";

/** The `scp` value of real ACS user tokens. */
export const ACS_SCP_CLAIM = 1792;
export const RESOURCE_LOCATION = "unitedstates";
export const TOKEN_GENERATION_CLAIM = "tgen";

export interface IssuedToken {
  readonly token: string;
  readonly expiresOn: Date;
}

export interface TokenIssuer {
  issue(input: {
    acsUserId: string;
    scopes: readonly string[];
    expiresInMinutes: number;
    tokenGeneration: number;
    now: Date;
  }): Promise<IssuedToken>;
  readonly publicKey: KeyObject;
  readonly kid: string;
  jwks(): Promise<{ keys: JWK[] }>;
}

export function createTokenIssuer(signing: SigningKeyMaterial, resourceId: string): TokenIssuer {
  const privateKey = createPrivateKey(signing.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  let jwksCache: Promise<{ keys: JWK[] }> | undefined;

  return {
    publicKey,
    kid: signing.kid,
    async issue({ acsUserId, scopes, expiresInMinutes, tokenGeneration, now }) {
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + expiresInMinutes * 60;
      const token = await new SignJWT({
        skypeid: acsUserId.replace(/^8:/, ""),
        scp: ACS_SCP_CLAIM,
        csi: String(iat),
        acsScope: scopes.join(","),
        resourceId,
        resourceLocation: RESOURCE_LOCATION,
        [TOKEN_GENERATION_CLAIM]: tokenGeneration,
      })
        .setProtectedHeader({ alg: "RS256", kid: signing.kid, typ: "JWT" })
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(privateKey);
      return { token, expiresOn: new Date(exp * 1000) };
    },
    jwks() {
      jwksCache ??= exportJWK(publicKey).then((jwk) => ({
        keys: [{ ...jwk, kid: signing.kid, alg: "RS256", use: "sig" }],
      }));
      return jwksCache;
    },
  };
}
