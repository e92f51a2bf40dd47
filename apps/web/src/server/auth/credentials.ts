// Email + password accounts on acs-server's stores: sign-up and the Credentials provider's authorize
// step. Framework-free so it is tested directly. A refused sign-in says the same thing, and costs the
// same scrypt work, whether the email is unknown or the password wrong (no account enumeration).
import { randomBytes } from "node:crypto";
import {
  DISPLAY_NAME_MAX,
  isSafeDisplayText,
  type LoginThrottle,
  type UserStore,
} from "@acs-stack/acs-server";
import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import type { AuthMessageCode } from "~/lib/auth-messages";
import { hashPassword, passwordWeakness, verifyPassword } from "./password";

/** The part of acs-server's UserStore that sign-up and sign-in use. */
export type AccountStore = Pick<UserStore, "createUser" | "findByEmail">;
export interface AccountUser {
  id: string;
  email: string | null;
  displayName: string;
}

/** A sign-in refusal whose `code` reaches the page (next-auth puts it in the URL or rethrows it). */
export class SignInRefused extends CredentialsSignin {
  constructor(readonly reason: AuthMessageCode) {
    super(reason);
    this.code = reason;
  }
}

export const emailSchema = z
  .string()
  .transform((e) => e.trim().toLowerCase())
  .pipe(z.email("Enter a valid email address.").max(254, "That email address is too long."));

// acs-server's rule for text other people see (no control or bidi characters: see its validation.ts),
// with the sign-up form's own words.
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a display name.")
  .max(DISPLAY_NAME_MAX, `Keep the display name under ${DISPLAY_NAME_MAX} characters.`)
  .refine(isSafeDisplayText, {
    message: "The display name cannot contain control or text-direction characters.",
  });

export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1).max(1024) });
export const signUpSchema = z.object({
  email: emailSchema,
  password: z.string().max(1024),
  displayName: displayNameSchema,
});

export interface SignInDependencies {
  users: Pick<UserStore, "findByEmail">;
  throttle: LoginThrottle;
  /** Refuse accounts whose email is unconfirmed (always in production; see account-policy.ts). */
  requireVerifiedEmail?: boolean;
}

/** Hashed once per process: unknown emails are checked against it so they cost what a real check does. */
let dummyHash: Promise<string> | undefined;
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString("base64url"));
  return dummyHash;
}

/**
 * Checks an email and password. `client` is the caller's address (see client-address.ts): failures are
 * throttled per (email, client), reserved before the password is checked, so a stranger elsewhere can
 * never lock the owner out and parallel guesses cannot outrun the limit.
 */
export async function authorizeWithPassword(
  { users, throttle, requireVerifiedEmail = false }: SignInDependencies,
  input: unknown,
  client: string,
  now: Date = new Date(),
): Promise<AccountUser> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new SignInRefused("invalid-input");
  const { email, password } = parsed.data;

  const reservation = await throttle.reserve(email, client, now);
  if (!reservation.allowed) throw new SignInRefused("invalid-credentials");

  const user = await users.findByEmail(email);
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user?.passwordHash || !matches) throw new SignInRefused("invalid-credentials");
  await throttle.succeeded(email, client);
  // Said only to whoever knows the password, so it reveals nothing to anyone else.
  if (requireVerifiedEmail && !user.emailVerifiedAt) throw new SignInRefused("email-unverified");
  return { id: user.id, email: user.email, displayName: user.displayName };
}

export type SignUpResult =
  | { ok: true; user: AccountUser }
  | { ok: false; field?: "email" | "password" | "displayName"; message: string };

export type SignUpRefusal = Extract<SignUpResult, { ok: false }>;

/** The sign-up form's values, or what is wrong with them (the field and the words to show). */
export function parseSignUp(
  input: unknown,
): { ok: true; data: z.infer<typeof signUpSchema> } | SignUpRefusal {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    return {
      ok: false,
      field:
        field === "email" || field === "password" || field === "displayName" ? field : undefined,
      message: issue?.message ?? "Check the form.",
    };
  }
  const weakness = passwordWeakness(parsed.data.password, parsed.data.email);
  if (weakness) return { ok: false, field: "password", message: weakness };
  return { ok: true, data: parsed.data };
}

/**
 * Sign-up without email verification (development defaults): the account is usable at once. Here,
 * and only here, a taken email is said as such; production always verifies (email-accounts.ts),
 * where a sign-up answers the same whether the address is taken or not.
 */
export async function registerAccount(store: AccountStore, input: unknown): Promise<SignUpResult> {
  const parsed = parseSignUp(input);
  if (!parsed.ok) return parsed;
  const { email, password, displayName } = parsed.data;
  if (await store.findByEmail(email)) {
    return {
      ok: false,
      field: "email",
      message: "An account with that email already exists. Sign in instead.",
    };
  }
  try {
    const user = await store.createUser({
      email,
      displayName,
      passwordHash: await hashPassword(password),
    });
    return { ok: true, user: { id: user.id, email: user.email, displayName: user.displayName } };
  } catch (error) {
    // Two sign-ups racing for one email: the store's unique constraint decides.
    if (error instanceof Error && error.name === "EmailTakenError") {
      return {
        ok: false,
        field: "email",
        message: "An account with that email already exists. Sign in instead.",
      };
    }
    throw error;
  }
}
