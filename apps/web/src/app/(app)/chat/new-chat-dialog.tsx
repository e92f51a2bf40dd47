"use client";
import { useChatSession } from "@acs-stack/acs-client/react";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useId, useRef, useState } from "react";
import { describeError } from "~/lib/errors";
import { keepFocusInside, opensDialog, showModalFrom } from "~/lib/modal-dialog";
import { useTRPCClient } from "~/trpc/react";
import { useRead } from "~/trpc/use-read";
import "../../_components/forms.css";

/** Someone found in the directory (no ACS id yet: addToChat gives it when the chat starts). */
interface Person {
  userId: string;
  displayName: string;
}
type StartChat = (
  input: {
    topic: string;
    participants: Array<{ acsUserId: string; displayName: string }>;
    idempotencyKey: string;
  },
  options?: { signal?: AbortSignal },
) => Promise<{ threadId: string }>;

/** The directory answers a full email address or the first two or more letters of a name. */
const MIN_QUERY = 2;

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

export function NewChatDialog({ startChat }: { startChat: StartChat }) {
  const trpcClient = useTRPCClient();
  const router = useRouter();
  const chatSession = useChatSession();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const topicRef = useRef<HTMLInputElement>(null);
  const ids = {
    dialog: useId(),
    search: useId(),
    searchHint: useId(),
    topic: useId(),
    title: useId(),
  };
  const [query, setQuery] = useState("");
  const deferredQuery = useDeferredValue(query.trim());
  const [topic, setTopic] = useState("");
  const [picked, setPicked] = useState<Person[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  // One key per intent: a retried click reuses it, so ACS creates one thread.
  const intentKey = useRef<string>("");
  // Aborted when the dialog closes (Cancel, Escape): a start still waiting stops there.
  const pending = useRef<AbortController | null>(null);

  // The dialog opens without script (see opensDialog): keep what was typed before hydration.
  useEffect(() => {
    if (searchRef.current?.value) setQuery(searchRef.current.value);
    if (topicRef.current?.value) setTopic(topicRef.current.value);
  }, []);
  useEffect(() => (dialogRef.current ? keepFocusInside(dialogRef.current) : undefined), []);

  const results = useRead(deferredQuery.length >= MIN_QUERY ? deferredQuery : null, (signal) =>
    trpcClient.acs.directory.search.query({ query: deferredQuery }, { signal }),
  );

  function open() {
    intentKey.current = crypto.randomUUID();
    setError(null);
    if (dialogRef.current) showModalFrom(dialogRef.current, openerRef.current, searchRef.current);
  }

  function onClose() {
    pending.current?.abort();
    pending.current = null;
  }

  async function start() {
    if (picked.length === 0) return setError("Add at least one person: search for them above.");
    const controller = new AbortController();
    pending.current = controller;
    const { signal } = controller;
    intentKey.current ||= crypto.randomUUID();
    setStarting(true);
    setError(null);
    try {
      // Gives them ACS identities and lets us see each other's presence (we are in a chat together).
      const members = await trpcClient.acs.directory.addToChat.mutate(
        { userIds: picked.map((p) => p.userId) },
        { signal },
      );
      const participants = members.map((m) => ({
        acsUserId: m.acsUserId,
        displayName: m.displayName,
      }));
      // Still connecting (the page has just loaded): wait here, saying so, rather than fail.
      await chatSession.whenReady(signal);
      const { threadId } = await startChat(
        { topic: topic.trim() || "Chat", participants, idempotencyKey: intentKey.current },
        { signal },
      );
      if (signal.aborted) return;
      dialogRef.current?.close();
      router.push(`/chat/${encodeURIComponent(threadId)}`);
    } catch (e) {
      if (!signal.aborted && !isAbort(e)) setError(describeError(e));
    } finally {
      if (pending.current === controller) pending.current = null;
      setStarting(false);
    }
  }

  const progress = !starting
    ? ""
    : chatSession.status === "ready"
      ? "Starting the chat…"
      : "Connecting… The chat starts as soon as the connection is ready.";

  return (
    <>
      <p>
        <button
          type="button"
          ref={openerRef}
          aria-haspopup="dialog"
          {...opensDialog(ids.dialog)}
          onClick={open}
        >
          New chat
        </button>
      </p>
      <dialog ref={dialogRef} id={ids.dialog} aria-labelledby={ids.title} onClose={onClose}>
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <h2 id={ids.title}>New chat</h2>
          <div className="field">
            <label htmlFor={ids.search}>Add people</label>
            <input
              id={ids.search}
              ref={searchRef}
              type="search"
              role="searchbox"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              aria-describedby={ids.searchHint}
              autoComplete="off"
            />
            <small id={ids.searchHint} className="muted">
              The start of a name (two letters or more), or a full email address.
            </small>
          </div>
          {results.error && (
            <p role="alert" className="error">
              The search failed: {describeError(results.error)} Change the search to try again.
            </p>
          )}
          {results.isLoading && <p className="muted">Searching…</p>}
          {results.data && deferredQuery.length >= MIN_QUERY && (
            <ul aria-label="People found" className="threads">
              {results.data.length === 0 && (
                <li className="muted">
                  Nobody matches “{deferredQuery}”. Try the start of their name or their full email
                  address.
                </li>
              )}
              {results.data.map((person) => {
                const chosen = picked.some((p) => p.userId === person.userId);
                return (
                  <li key={person.userId}>
                    <button
                      type="button"
                      className="secondary"
                      aria-pressed={chosen}
                      onClick={() =>
                        setPicked((list) =>
                          chosen
                            ? list.filter((p) => p.userId !== person.userId)
                            : [...list, { userId: person.userId, displayName: person.displayName }],
                        )
                      }
                    >
                      {chosen ? "Remove" : "Add"} {person.displayName}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <p aria-live="polite" className={picked.length > 0 ? undefined : "muted"}>
            {picked.length > 0
              ? `With: ${picked.map((p) => p.displayName).join(", ")}`
              : "Nobody added yet."}
          </p>
          <div className="field">
            <label htmlFor={ids.topic}>Topic</label>
            <input
              id={ids.topic}
              ref={topicRef}
              value={topic}
              onChange={(e) => setTopic(e.target.value)}
              maxLength={200}
              placeholder="Chat"
            />
          </div>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <p role="status" className="muted dialog-progress">
            {progress}
          </p>
          <div className="dialog-actions">
            <button type="submit" disabled={starting}>
              Start chat
            </button>
            <button type="button" className="secondary" onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
