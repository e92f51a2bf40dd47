// Who may create an email-and-password account, and whether it must confirm its email first. One
// rule for the whole app: production (NODE_ENV=production) always confirms, and opens sign-up only
// when AUTH_CREDENTIALS_SIGNUP=true; development signs newcomers up verified at once unless
// AUTH_REQUIRE_EMAIL_VERIFICATION=true asks for the real flow.
import { env } from "~/env";

export interface AccountPolicySettings {
  NODE_ENV: "development" | "test" | "production";
  AUTH_CREDENTIALS_SIGNUP?: boolean;
  AUTH_REQUIRE_EMAIL_VERIFICATION?: boolean;
}

export interface AccountPolicy {
  signUpOpen: boolean;
  /** New accounts wait for the mailed link; unconfirmed accounts cannot sign in. */
  emailVerificationRequired: boolean;
}

export function resolveAccountPolicy(settings: AccountPolicySettings): AccountPolicy {
  if (settings.NODE_ENV === "production") {
    return {
      signUpOpen: settings.AUTH_CREDENTIALS_SIGNUP === true,
      emailVerificationRequired: true,
    };
  }
  return {
    signUpOpen: settings.AUTH_CREDENTIALS_SIGNUP !== false,
    emailVerificationRequired: settings.AUTH_REQUIRE_EMAIL_VERIFICATION === true,
  };
}

export const accountPolicy = (): AccountPolicy => resolveAccountPolicy(env);
