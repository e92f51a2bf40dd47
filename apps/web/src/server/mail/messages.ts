// The words of each account mail. A link is valid for 30 minutes and once; each mail says what to do
// if the reader did not ask for it.
import type { AccountMail } from "./mail";

export function verificationMail(to: string, link: string): AccountMail {
  return {
    to,
    subject: "Confirm your email for acs-stack",
    text: [
      "Someone (hopefully you) created an acs-stack account with this address.",
      "",
      "Confirm it by opening this link and entering the password you chose (within 30 minutes):",
      link,
      "",
      "If this was not you, ignore this mail: the account cannot be used until the address is confirmed.",
    ].join("\n"),
  };
}

export function passwordResetMail(to: string, link: string): AccountMail {
  return {
    to,
    subject: "Reset your acs-stack password",
    text: [
      "Someone (hopefully you) asked to reset the password of the acs-stack account with this address.",
      "",
      "Choose a new password here (the link works once, for 30 minutes):",
      link,
      "",
      "Resetting signs the account out on every device. If you did not ask, ignore this mail: your password stays as it is.",
    ].join("\n"),
  };
}

/** Sent to an account's owner when someone signs up with its (confirmed) address. */
export function signUpAttemptMail(to: string, forgotPasswordLink: string): AccountMail {
  return {
    to,
    subject: "Someone tried to sign up to acs-stack with your address",
    text: [
      "Someone just tried to create an acs-stack account with this address, which already has one.",
      "",
      "If it was you: sign in instead, or reset your password here:",
      forgotPasswordLink,
      "",
      "If it was not you, nothing changed: no new account was made and your password is as it was.",
    ].join("\n"),
  };
}
