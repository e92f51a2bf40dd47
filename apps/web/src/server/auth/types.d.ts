import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** This sign-in's row in acs-server's `auth_sessions`. */
    sessionId?: string;
    /** The provider this session signed in with ("credentials", "microsoft-entra-id", …). */
    signInProvider?: string;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    /** This sign-in's row in acs-server's `auth_sessions`; the token counts only while it is live. */
    sid?: string;
    /** The provider this session signed in with; no provider tokens are ever kept in the JWT. */
    signInProvider?: string;
  }
}
