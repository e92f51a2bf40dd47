// The sign-in, sign-up and OAuth forms of the start page, as plain HTML forms: they post to route
// handlers (app/auth/*/route.ts) and work without JavaScript, which that page does not load
// (pages/index.tsx). What a refused post answers comes back in the page's props (`state`). `Field`
// and `MailSent` also serve the mailed-link forms (email-link-forms.tsx).
import { useId } from "react";
import type { FormState } from "~/lib/form";

/** Where each form posts (route handlers under app/auth/). */
export const FORM_ACTIONS = {
  signIn: "/auth/sign-in",
  signUp: "/auth/sign-up",
  oauth: "/auth/oauth",
} as const;

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  autoComplete?: string;
  defaultValue?: string;
  error?: string;
  hint?: string;
}) {
  const id = useId();
  // The hint sits outside the label: the field's name is exactly its label ("Password"), and the
  // hint is its description.
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        defaultValue={props.defaultValue}
        required
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint && (
        <small id={`${id}-hint`} className="muted">
          {props.hint}
        </small>
      )}
    </div>
  );
}

function ErrorLine({ error }: { error?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}

export function SignInForm({ redirectTo, state }: { redirectTo?: string; state: FormState }) {
  return (
    <form method="post" action={FORM_ACTIONS.signIn} className="stack" aria-label="Sign in">
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={state.email}
      />
      <Field label="Password" name="password" type="password" autoComplete="current-password" />
      {redirectTo && <input type="hidden" name="redirectTo" value={redirectTo} />}
      <ErrorLine error={state.error} />
      <button type="submit">Sign in</button>
    </form>
  );
}

export function SignUpForm({ state }: { state: FormState }) {
  if (state.sent) return <MailSent email={state.email} what="confirm the address" />;
  return (
    <form method="post" action={FORM_ACTIONS.signUp} className="stack" aria-label="Create account">
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={state.email}
        error={state.field === "email" ? state.error : undefined}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        error={state.field === "password" ? state.error : undefined}
      />
      <Field
        label="Display name"
        name="displayName"
        autoComplete="nickname"
        defaultValue={state.displayName}
        error={state.field === "displayName" ? state.error : undefined}
      />
      <ErrorLine error={state.error} />
      <button type="submit">Create account</button>
    </form>
  );
}

/** The same words whether or not the address has an account (no enumeration). */
export function MailSent({ email, what }: { email?: string; what: string }) {
  return (
    <p role="status" className="notice">
      Check your inbox{email ? ` at ${email}` : ""}: if the address can be used here, we sent it a
      link to {what}. The link works once, for 30 minutes.
    </p>
  );
}

export function OAuthButtons({ providers }: { providers: Array<{ id: string; name: string }> }) {
  if (providers.length === 0) return null;
  return (
    <div className="stack">
      <p className="muted">Or continue with</p>
      {providers.map((p) => (
        <form key={p.id} method="post" action={FORM_ACTIONS.oauth}>
          <input type="hidden" name="provider" value={p.id} />
          <button type="submit" className="secondary">
            Sign in with {p.name}
          </button>
        </form>
      ))}
    </div>
  );
}
