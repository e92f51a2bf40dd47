"use client";
// The message composer: Enter sends, Shift+Enter is a new line. The draft of this person in this
// thread survives leaving the thread (sessionStorage, ~/lib/drafts); typing notifies the others.
import type { ChatThreadHandle } from "@acs-stack/acs-client/react";
import { useEffect, useId, useState, type Ref } from "react";
import { browserDraftStorage, draftKey, loadDraft, saveDraft } from "~/lib/drafts";

export function Composer({
  threadId,
  acsUserId,
  thread,
  ref,
}: {
  threadId: string;
  /** Whose draft it is; unknown until the first token. */
  acsUserId: string | undefined;
  /** Null while the thread opens: the draft is kept and Send is disabled. */
  thread: ChatThreadHandle | null;
  ref?: Ref<HTMLTextAreaElement>;
}) {
  const composerId = useId();
  const [draft, setDraftText] = useState("");
  const storageKey = acsUserId ? draftKey(acsUserId, threadId) : undefined;
  useEffect(() => {
    if (!storageKey) return;
    // Text typed before the key was known wins over an older stored draft.
    setDraftText((typed) => typed || loadDraft(browserDraftStorage(), storageKey));
  }, [storageKey]);
  function setDraft(text: string) {
    setDraftText(text);
    if (storageKey) saveDraft(browserDraftStorage(), storageKey, text);
  }

  function send() {
    const content = draft.trim();
    // While the thread is still opening, the draft stays.
    if (!content || !thread) return;
    thread.send(content);
    setDraft("");
  }

  return (
    <form
      className="thread-composer chat-thread-composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor={composerId} className="visually-hidden">
        Message
      </label>
      <textarea
        id={composerId}
        ref={ref}
        rows={1}
        value={draft}
        placeholder="Write a message"
        aria-describedby={`${composerId}-hint`}
        onChange={(e) => {
          setDraft(e.target.value);
          thread?.sendTyping().catch(() => undefined);
        }}
        onKeyDown={(e) => {
          // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition
          // (isComposing, or keyCode 229 in Safari) belongs to the input method.
          if (
            e.key === "Enter" &&
            !e.shiftKey &&
            !e.nativeEvent.isComposing &&
            e.nativeEvent.keyCode !== 229
          ) {
            e.preventDefault();
            send();
          }
        }}
      />
      <span id={`${composerId}-hint`} className="visually-hidden">
        Enter sends, Shift+Enter starts a new line.
      </span>
      <button type="submit" disabled={!thread}>
        Send
      </button>
    </form>
  );
}
