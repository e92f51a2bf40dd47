"use client";
import { signOutAction } from "../_actions/auth";
import { disposeAcsSession } from "~/lib/acs-session";

/**
 * Signs out this device: disposes the ACS credential and forgets the token shared by this browser's
 * tabs (disposeAcsSession), then the server ends this session only. Other devices keep chatting.
 */
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
