// The local Entra ID's people: who may sign in with a password, and what their tokens say about them.
import { createHash, timingSafeEqual } from "node:crypto";

import { derivedGuid, type EntraUser } from "./config";

/** A user as the tokens describe them. */
export interface SignedInUser {
  readonly objectId: string;
  readonly tenantId: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly email?: string;
}

export interface EntraUserDirectory {
  readonly tenantId: string;
  /** The user when the password is theirs; undefined for an unknown user or a wrong password. */
  signIn(userPrincipalName: string, password: string): SignedInUser | undefined;
  /** Looks a user up by UPN (case-insensitive), for tokens issued without a sign-in (tests). */
  find(userPrincipalName: string): SignedInUser | undefined;
}

export function createEntraUserDirectory(
  users: readonly EntraUser[],
  tenantId: string,
): EntraUserDirectory {
  const byUpn = new Map<string, { user: SignedInUser; passwordHash: Buffer }>();
  for (const user of users) {
    const upn = user.userPrincipalName;
    byUpn.set(upn.toLowerCase(), {
      user: {
        objectId: user.objectId ?? derivedGuid(`user:${tenantId}:${upn.toLowerCase()}`),
        tenantId,
        userPrincipalName: upn,
        displayName: user.displayName ?? upn,
        ...(user.email !== undefined ? { email: user.email } : {}),
      },
      passwordHash: sha256(user.password),
    });
  }
  // Compared as hashes of equal length: the time taken says nothing about the password.
  const unknownUserHash = sha256("");
  return {
    tenantId,
    signIn(userPrincipalName, password) {
      const entry = byUpn.get(userPrincipalName.trim().toLowerCase());
      const matches = timingSafeEqual(entry?.passwordHash ?? unknownUserHash, sha256(password));
      return entry && matches ? entry.user : undefined;
    },
    find(userPrincipalName) {
      return byUpn.get(userPrincipalName.trim().toLowerCase())?.user;
    },
  };
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
