import "server-only";
import NextAuth from "next-auth";
import { createAuthConfig } from "./config";

// Lazy: the secret is resolved per request, so `next build` needs no AUTH_SECRET.
export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(() =>
  createAuthConfig(),
);
