// Words shown to people for each authentication outcome. Shared by server actions and pages,
// so a code travels in a URL or a result and the text lives in one place.
export const AUTH_MESSAGES = {
  // One answer for an unknown email, a wrong password and a throttled attempt: none of them tells
  // whether an account exists.
  "invalid-credentials":
    "That email and password do not match an account. Check them and try again; after several failed attempts, wait 15 minutes.",
  "invalid-input": "Enter your email and password.",
  "email-taken": "An account with that email already exists. Sign in instead.",
  // Shown only after the right password, so it tells nothing to someone who does not know it.
  "email-unverified":
    "Confirm your email first: open the link we mailed you. No mail? Create the account again with the same email for a new link.",
  "signup-closed": "Sign-up is closed on this site. Ask its operator for an account.",
  "password-reset":
    "Your password was changed and every device was signed out. Sign in with the new password.",
  "link-invalid":
    "This link is not valid any more: it was used already, it expired (links work for 30 minutes), or it was mistyped. Ask for a new one.",
  "sign-in-required": "Sign in to continue.",
  "session-expired": "Your session has ended. Sign in again to continue.",
  revoked:
    "You were signed out everywhere (your chat access was revoked). Sign in again to continue.",
  "signed-out-everywhere": "You signed out on every device and your chat tokens were revoked.",
  "identity-deleted": "Your ACS identity was deleted. Signing in again creates a new one.",
  "signed-out": "You are signed out.",
  unexpected: "Something went wrong on our side. Try again in a moment.",
} as const;

export type AuthMessageCode = keyof typeof AUTH_MESSAGES;

export function authMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return code in AUTH_MESSAGES ? AUTH_MESSAGES[code as AuthMessageCode] : AUTH_MESSAGES.unexpected;
}
