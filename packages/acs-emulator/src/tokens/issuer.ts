// Issues ACS user access tokens: RS256 JWTs with the claims a real ACS token carries
// (skypeid, scp, csi, iat, exp, acsScope, resourceId, resourceLocation) plus `tgen`, the
// identity's token generation, which is how revocation is decided to the exact request.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { exportJWK, type JWK } from "jose";
import type { SigningKeyMaterial } from "../certs";
import {
  createThreadPoolSigner,
  createWorkerSigner,
  type Rs256Signer,
  type Rs256SignerKind,
} from "./rs256-signer";

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
  /** Waits for tokens being signed, then stops the signing worker (if any). */
  close(): Promise<void>;
}

export interface TokenIssuerOptions {
  /** Where RS256 signatures are made (see rs256-signer.ts); default "thread-pool". */
  readonly signer?: Rs256SignerKind;
  /** Told when the signing worker fails (signing continues on the thread pool). */
  readonly onSignerError?: (error: Error) => void;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function createTokenIssuer(
  signing: SigningKeyMaterial,
  resourceId: string,
  options: TokenIssuerOptions = {},
): TokenIssuer {
  const privateKey = createPrivateKey(signing.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const threadPool = createThreadPoolSigner(privateKey);
  const signer: Rs256Signer =
    options.signer === "worker"
      ? createWorkerSigner({
          privateKeyPem: signing.privateKeyPem,
          fallback: threadPool,
          onWorkerError: options.onSignerError,
        })
      : threadPool;
  const encodedHeader = base64url({ alg: "RS256", kid: signing.kid, typ: "JWT" });
  let jwksCache: Promise<{ keys: JWK[] }> | undefined;

  return {
    publicKey,
    kid: signing.kid,
    async issue({ acsUserId, scopes, expiresInMinutes, tokenGeneration, now }) {
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + expiresInMinutes * 60;
      const signingInput = `${encodedHeader}.${base64url({
        skypeid: acsUserId.replace(/^8:/, ""),
        scp: ACS_SCP_CLAIM,
        csi: String(iat),
        iat,
        exp,
        acsScope: scopes.join(","),
        resourceId,
        resourceLocation: RESOURCE_LOCATION,
        [TOKEN_GENERATION_CLAIM]: tokenGeneration,
      })}`;
      const signature = await signer.sign(signingInput);
      return {
        token: `${signingInput}.${signature.toString("base64url")}`,
        expiresOn: new Date(exp * 1000),
      };
    },
    jwks() {
      jwksCache ??= exportJWK(publicKey).then((jwk) => ({
        keys: [{ ...jwk, kid: signing.kid, alg: "RS256", use: "sig" }],
      }));
      return jwksCache;
    },
    close: () => signer.close(),
  };
}
