// The fair baseline's work per token: one RS256 JWT signature, with an RSA key of the emulator's
// token-key size, made the plain node way (a KeyObject created once, `crypto.sign` with a callback,
// which runs on libuv's thread pool). Nothing else: no authentication, no parsing, no state.
import { createPublicKey, generateKeyPairSync, sign, type JsonWebKey } from "node:crypto";

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The modulus length in bits of the first key of a JWKS (the emulator's token key). */
export function modulusLengthOf(jwks: { keys: JsonWebKey[] }): number {
  const [jwk] = jwks.keys;
  if (!jwk) throw new Error("the JWKS has no key");
  const bits = createPublicKey({ key: jwk, format: "jwk" }).asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new Error("the JWKS key is not an RSA key");
  return bits;
}

/** Signs `claims` (plus fresh iat/exp) into an RS256 JWT, once per call. */
export function createBaselineTokenSigner(
  modulusLength: number,
): (claims: Record<string, unknown>) => Promise<{ token: string; expiresOn: string }> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength });
  const header = base64url({ alg: "RS256", kid: "bare-baseline", typ: "JWT" });
  return (claims) => {
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + 24 * 60 * 60;
    const signingInput = `${header}.${base64url({ ...claims, csi: String(iat), iat, exp })}`;
    return new Promise((resolve, reject) => {
      sign("sha256", Buffer.from(signingInput), privateKey, (error, signature) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          token: `${signingInput}.${signature.toString("base64url")}`,
          expiresOn: new Date(exp * 1000).toISOString(),
        });
      });
    });
  };
}
