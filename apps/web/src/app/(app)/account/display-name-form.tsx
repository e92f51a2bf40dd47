"use client";
// The person's display name, as others see it in the directory and in chats they are added to.
import { useActionState } from "react";
import { updateDisplayNameAction, type DisplayNameState } from "../../_actions/profile";
import { Field } from "../../_components/auth-forms";
import "../../_components/forms.css";

export function DisplayNameForm({ current, max }: { current: string; max: number }) {
  const [state, action, pending] = useActionState<DisplayNameState, FormData>(
    updateDisplayNameAction,
    { displayName: current },
  );
  return (
    <section aria-labelledby="display-name-title" className="stack">
      <h2 id="display-name-title">Display name</h2>
      <form action={action} className="stack" aria-label="Change display name">
        <Field
          label="Display name"
          name="displayName"
          autoComplete="nickname"
          defaultValue={state.displayName}
          error={state.error}
          hint={`What other people see in the directory and in chats. Up to ${max} characters.`}
        />
        {state.error && (
          <p role="alert" className="error">
            {state.error}
          </p>
        )}
        <p role="status" className="muted">
          {state.saved && !pending ? `Saved: you are now “${state.displayName}”.` : ""}
        </p>
        <div>
          <button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save display name"}
          </button>
        </div>
      </form>
    </section>
  );
}
