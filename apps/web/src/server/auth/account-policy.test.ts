import { describe, expect, it } from "vitest";
import { resolveAccountPolicy } from "./account-policy";

describe("resolveAccountPolicy", () => {
  it("keeps sign-up closed in production unless AUTH_CREDENTIALS_SIGNUP=true", () => {
    expect(resolveAccountPolicy({ NODE_ENV: "production" }).signUpOpen).toBe(false);
    expect(
      resolveAccountPolicy({ NODE_ENV: "production", AUTH_CREDENTIALS_SIGNUP: false }).signUpOpen,
    ).toBe(false);
    expect(
      resolveAccountPolicy({ NODE_ENV: "production", AUTH_CREDENTIALS_SIGNUP: true }).signUpOpen,
    ).toBe(true);
  });

  it("always requires email verification in production, whatever the dev switch says", () => {
    for (const AUTH_REQUIRE_EMAIL_VERIFICATION of [undefined, false, true])
      expect(
        resolveAccountPolicy({
          NODE_ENV: "production",
          AUTH_CREDENTIALS_SIGNUP: true,
          AUTH_REQUIRE_EMAIL_VERIFICATION,
        }).emailVerificationRequired,
      ).toBe(true);
  });

  it("lets a newcomer in at once in development, and tries the real flow on request", () => {
    expect(resolveAccountPolicy({ NODE_ENV: "development" })).toEqual({
      signUpOpen: true,
      emailVerificationRequired: false,
    });
    expect(
      resolveAccountPolicy({ NODE_ENV: "development", AUTH_REQUIRE_EMAIL_VERIFICATION: true }),
    ).toEqual({ signUpOpen: true, emailVerificationRequired: true });
    expect(
      resolveAccountPolicy({ NODE_ENV: "test", AUTH_CREDENTIALS_SIGNUP: false }).signUpOpen,
    ).toBe(false);
  });
});
