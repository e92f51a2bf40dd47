import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** Epoch ms of the sign-in that started this session. */
    signedInAt?: number;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    signedInAt?: number;
  }
}
