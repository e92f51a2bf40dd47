"use client";
// The person's display name, as others see it in the directory and in chats they are added to.
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { updateDisplayNameAction, type DisplayNameState } from "../../_actions/profile";
import { Field } from "../../_components/auth-forms";
import "../../_components/forms.css";

export function DisplayNameForm({ current, max }: { current: string; max: number }) {
  const [state, action, pending] = useActionState<DisplayNameState, FormData>(
    updateDisplayNameAction,
    { displayName: current },
  );
  const router = useRouter();
  // The action re-issued the session cookie with the new name: render the header again with it.
  useEffect(() => {
    if (state.saved) router.refresh();
  }, [state, router]);
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
        {state.saved && !pending && (
          <p role="status" className="muted">
            Saved: you are now “{state.displayName}”.
          </p>
        )}
        <div>
          <button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save display name"}
          </button>
        </div>
      </form>
    </section>
  );
}
