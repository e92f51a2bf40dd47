// Which app user an OAuth sign-in (Microsoft Entra ID, GitHub) becomes. It joins an existing account
// only through its own link (`auth_accounts`) or when the provider vouches for that account's email;
// otherwise it is an account of its own, so nobody takes over an account by claiming its email.
import {
  EmailTakenError,
  type AppUser,
  type ProviderAccount,
  type UserStore,
} from "@acs-stack/acs-server";

export interface EmailAssertion {
  email: string | null;
  /** The provider vouches that the person controls `email`. */
  verified: boolean;
}

type Profile = Record<string, unknown> | undefined;

const text = (value: unknown) =>
  typeof value === "string" && value.trim() ? value.trim().toLowerCase() : null;
const isTrue = (value: unknown) =>
  value === true || value === "true" || value === 1 || value === "1";

/**
 * What the provider says about the person's email.
 * - Entra ID: the `email` claim is whatever the tenant stores, unverified in general. It counts only
 *   with `xms_edov` (the email domain's owner is verified) or when listed in `verified_primary_email`
 *   (optional claims: https://learn.microsoft.com/entra/identity-platform/optional-claims-reference).
 * - GitHub: only the primary, verified address from /user/emails (`verified_primary_email`, set by
 *   github-verified-email.ts); the profile's public `email` alone does not count.
 * - Others: OpenID Connect's `email_verified`.
 */
export function emailAssertion(provider: string, profile: Profile): EmailAssertion {
  if (provider === "github") {
    const verified = text(profile?.verified_primary_email);
    return verified
      ? { email: verified, verified: true }
      : { email: text(profile?.email), verified: false };
  }
  const email = text(profile?.email);
  if (!email) return { email: null, verified: false };
  if (provider === "microsoft-entra-id") {
    const listed = profile?.verified_primary_email;
    const inList = Array.isArray(listed) && listed.some((entry) => text(entry) === email);
    return { email, verified: isTrue(profile?.xms_edov) || inList };
  }
  return { email, verified: isTrue(profile?.email_verified) };
}

export type OAuthSignInDecision =
  /** The provider account is linked already: that user, whatever the email says now. */
  | { kind: "linked"; userId: string }
  /** A vouched-for email of an existing account: link to it. */
  | { kind: "link-by-verified-email"; userId: string }
  /** A new app user; it carries the email only when vouched for (an unverified one could be anyone's). */
  | { kind: "new-user"; email: string | null };

export function decideOAuthSignIn(input: {
  linkedUserId: string | null;
  assertion: EmailAssertion;
  emailOwnerId: string | null;
}): OAuthSignInDecision {
  if (input.linkedUserId) return { kind: "linked", userId: input.linkedUserId };
  const { email, verified } = input.assertion;
  if (email && verified) {
    return input.emailOwnerId
      ? { kind: "link-by-verified-email", userId: input.emailOwnerId }
      : { kind: "new-user", email };
  }
  return { kind: "new-user", email: null };
}

/** Applies the decision on the stores: finds, links or creates the app user of an OAuth sign-in. */
export async function appUserForOAuthSignIn(
  users: UserStore,
  account: ProviderAccount,
  profile: Profile,
  fallbackName: string | null | undefined,
): Promise<AppUser> {
  const linked = await users.findByProviderAccount(account);
  const assertion = emailAssertion(account.provider, profile);
  const owner =
    assertion.email && assertion.verified ? await users.findByEmail(assertion.email) : undefined;
  const decision = decideOAuthSignIn({
    linkedUserId: linked?.id ?? null,
    assertion,
    emailOwnerId: owner?.id ?? null,
  });
  if (decision.kind === "linked" && linked) return linked;

  let user: AppUser | undefined = decision.kind === "link-by-verified-email" ? owner : undefined;
  if (decision.kind === "new-user") {
    const displayName = (
      fallbackName?.trim() ||
      assertion.email?.split("@")[0] ||
      "New user"
    ).slice(0, 80);
    try {
      user = await users.createUser({ email: decision.email, displayName, passwordHash: null });
    } catch (error) {
      // Someone signed up with this (vouched-for) email meanwhile: it is theirs, and the provider says it is this person's.
      if (!(error instanceof EmailTakenError) || !decision.email) throw error;
      user = await users.findByEmail(decision.email);
    }
  }
  if (!user) throw new Error("OAuth sign-in: no app user to link");
  // Throws ProviderAccountTakenError if a parallel first sign-in linked it elsewhere.
  await users.linkProviderAccount({
    ...account,
    userId: user.id,
    email: assertion.email,
    emailVerified: assertion.verified,
  });
  return user;
}
