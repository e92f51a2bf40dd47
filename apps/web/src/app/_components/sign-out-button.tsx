"use client";
import { signOutAction } from "../_actions/auth";
import { disposeAcsSession } from "~/lib/acs-session";

/** Disposes the browser's ACS credential, then the server revokes the tokens and ends the session. */
export function SignOutButton({ label = "Sign out", reason }: { label?: string; reason?: string }) {
  return (
    <form action={signOutAction} onSubmit={() => disposeAcsSession()}>
      {reason && <input type="hidden" name="reason" value={reason} />}
      <button type="submit" className="secondary">
        {label}
      </button>
    </form>
  );
}
