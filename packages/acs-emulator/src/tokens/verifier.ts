// Verifies user access tokens for the chat API: signature, expiry, resource, identity still
// existing, and revocation (the token's generation must be the identity's current one).
import { errors, jwtVerify } from "jose";
import type { IdentityStore } from "../identity/store";
import { AcsHttpError } from "../http/types";
import type { UserTokenVerifier, VerifiedUser } from "../modules";
import { TOKEN_GENERATION_CLAIM, type TokenIssuer } from "./issuer";

function invalid(message: string): AcsHttpError {
  return new AcsHttpError(401, "InvalidAuthenticationToken", message);
}

export function createUserTokenVerifier(options: {
  issuer: TokenIssuer;
  identities: IdentityStore;
  resourceId: string;
  now: () => Date;
}): UserTokenVerifier {
  return {
    async verify(authorizationOrToken): Promise<VerifiedUser> {
      const raw = authorizationOrToken?.trim();
      if (!raw)
        throw invalid("An ACS user access token is required (Authorization: Bearer <token>).");
      const token = /^bearer\s+/i.test(raw) ? raw.replace(/^bearer\s+/i, "").trim() : raw;
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, options.issuer.publicKey, {
          algorithms: ["RS256"],
          currentDate: options.now(),
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) {
          throw new AcsHttpError(401, "TokenExpired", "The access token has expired.");
        }
        throw invalid("The access token is malformed or its signature is invalid.");
      }
      const { skypeid, acsScope, iat, exp, resourceId } = payload;
      const generation = payload[TOKEN_GENERATION_CLAIM];
      if (
        typeof skypeid !== "string" ||
        typeof acsScope !== "string" ||
        typeof iat !== "number" ||
        typeof exp !== "number" ||
        typeof generation !== "number" ||
        resourceId !== options.resourceId
      ) {
        throw invalid("The access token lacks required claims or belongs to another resource.");
      }
      const acsUserId = `8:${skypeid}`;
      const identity = options.identities.get(acsUserId);
      if (!identity || identity.deletedAt !== undefined) {
        throw invalid("The identity of this access token does not exist (deleted).");
      }
      if (generation !== identity.tokenGeneration) {
        throw new AcsHttpError(401, "TokenRevoked", "The access token has been revoked.");
      }
      return {
        acsUserId,
        scopes: acsScope.split(",").filter((scope) => scope !== ""),
        issuedAt: new Date(iat * 1000),
        expiresOn: new Date(exp * 1000),
      };
    },
  };
}
