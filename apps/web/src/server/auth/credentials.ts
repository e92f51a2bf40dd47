// Email + password accounts on acs-server's UserStore: sign-up and the Credentials provider's
// authorize step, with failed-attempt throttling. Framework-free so it is tested directly.
import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import type { AuthMessageCode } from "~/lib/auth-messages";
import { hashPassword, passwordWeakness, verifyPassword } from "./password";

/** The part of acs-server's UserStore the sign-in flow uses. */
export interface AccountStore {
  createUser(input: { email: string; displayName: string; passwordHash: string | null }): Promise<AccountUser>;
  findByEmail(email: string): Promise<(AccountUser & { passwordHash: string | null }) | null | undefined>;
  recordLoginFailure(email: string, now: Date): Promise<{ failures: number; lockedUntil: Date | null }>;
  clearLoginFailures(email: string): Promise<void>;
  loginLockedUntil(email: string, now: Date): Promise<Date | null>;
}
export interface AccountUser {
  id: string;
  email: string;
  displayName: string;
}

/** A sign-in refusal whose `code` reaches the page (next-auth puts it in the URL or rethrows it). */
export class SignInRefused extends CredentialsSignin {
  constructor(readonly reason: AuthMessageCode) {
    super(reason);
    this.code = reason;
  }
}

const emailSchema = z
  .string()
  .transform((e) => e.trim().toLowerCase())
  .pipe(z.email("Enter a valid email address.").max(254, "That email address is too long."));
export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1).max(1024) });
export const signUpSchema = z.object({
  email: emailSchema,
  password: z.string().max(1024),
  displayName: z.string().trim().min(1, "Enter a display name.").max(80, "Keep the display name under 80 characters."),
});

export async function authorizeWithPassword(
  store: AccountStore,
  input: unknown,
  now: Date = new Date(),
): Promise<AccountUser> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new SignInRefused("invalid-input");
  const { email, password } = parsed.data;

  const lockedUntil = await store.loginLockedUntil(email, now);
  if (lockedUntil && lockedUntil > now) throw new SignInRefused("locked");

  const user = await store.findByEmail(email);
  if (!user?.passwordHash) {
    await store.recordLoginFailure(email, now);
    throw new SignInRefused("unknown-email");
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    const { lockedUntil: locked } = await store.recordLoginFailure(email, now);
    throw new SignInRefused(locked && locked > now ? "locked" : "wrong-password");
  }
  await store.clearLoginFailures(email);
  return { id: user.id, email: user.email, displayName: user.displayName };
}

export type SignUpResult =
  | { ok: true; user: AccountUser }
  | { ok: false; field?: "email" | "password" | "displayName"; message: string };

export async function registerAccount(store: AccountStore, input: unknown): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    return {
      ok: false,
      field: field === "email" || field === "password" || field === "displayName" ? field : undefined,
      message: issue?.message ?? "Check the form.",
    };
  }
  const { email, password, displayName } = parsed.data;
  const weakness = passwordWeakness(password, email);
  if (weakness) return { ok: false, field: "password", message: weakness };
  if (await store.findByEmail(email)) {
    return { ok: false, field: "email", message: "An account with that email already exists. Sign in instead." };
  }
  try {
    const user = await store.createUser({ email, displayName, passwordHash: await hashPassword(password) });
    return { ok: true, user: { id: user.id, email: user.email, displayName: user.displayName } };
  } catch (error) {
    // Two sign-ups racing for one email: the store's unique constraint decides.
    if (error instanceof Error && error.name === "EmailTakenError") {
      return { ok: false, field: "email", message: "An account with that email already exists. Sign in instead." };
    }
    throw error;
  }
}
