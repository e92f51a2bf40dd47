"use client";
// The forms behind account mail: asking for a reset link, and the pages a mailed link opens.
import { useActionState } from "react";
import {
  confirmEmailAction,
  forgotPasswordAction,
  resetPasswordAction,
  type FormState,
} from "../_actions/auth";
import { Field, MailSent } from "./auth-forms";
import "./forms.css";

function ErrorLine({ state }: { state: FormState }) {
  if (!state.error) return null;
  return (
    <p role="alert" className="error">
      {state.error}
    </p>
  );
}

export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(forgotPasswordAction, {});
  if (state.sent) return <MailSent email={state.email} what="choose a new password" />;
  return (
    <form action={action} className="stack" aria-label="Reset password">
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={state.email}
      />
      <ErrorLine state={state} />
      <button type="submit" disabled={pending}>
        Send me a reset link
      </button>
    </form>
  );
}

export function ConfirmEmailForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(confirmEmailAction, {});
  return (
    <form action={action} className="stack" aria-label="Confirm email">
      <input type="hidden" name="token" value={token} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        hint="The password you chose when creating the account."
      />
      <ErrorLine state={state} />
      <button type="submit" disabled={pending}>
        Confirm and sign in
      </button>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(resetPasswordAction, {});
  return (
    <form action={action} className="stack" aria-label="Choose a new password">
      <input type="hidden" name="token" value={token} />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters. Every device is signed out."
        error={state.field === "password" ? state.error : undefined}
      />
      <ErrorLine state={state} />
      <button type="submit" disabled={pending}>
        Set new password
      </button>
    </form>
  );
}
