"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useId, useRef, useState } from "react";
import { describeError } from "~/lib/errors";
import { useTRPC, useTRPCClient } from "~/trpc/react";

/** Someone found in the directory (no ACS id yet: addToChat gives it when the chat starts). */
interface Person {
  userId: string;
  displayName: string;
}
type StartChat = (input: {
  topic: string;
  participants: Array<{ acsUserId: string; displayName: string }>;
  idempotencyKey: string;
}) => Promise<{ threadId: string }>;

/** The directory answers a full email address or the first two or more letters of a name. */
const MIN_QUERY = 2;

export function NewChatDialog({ startChat }: { startChat: StartChat }) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const ids = { search: useId(), topic: useId(), title: useId() };
  const [query, setQuery] = useState("");
  const deferredQuery = useDeferredValue(query.trim());
  const [topic, setTopic] = useState("");
  const [picked, setPicked] = useState<Person[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  // One key per intent: a retried click reuses it, so ACS creates one thread.
  const intentKey = useRef<string>("");

  const results = useQuery({
    ...trpc.acs.directory.search.queryOptions({ query: deferredQuery }),
    enabled: deferredQuery.length >= MIN_QUERY,
  });

  function open() {
    intentKey.current = crypto.randomUUID();
    setError(null);
    dialogRef.current?.showModal();
  }

  async function start() {
    if (picked.length === 0) return setError("Add at least one person.");
    setStarting(true);
    setError(null);
    try {
      // Gives them ACS identities and lets us see each other's presence (we are in a chat together).
      const members = await trpcClient.acs.directory.addToChat.mutate({
        userIds: picked.map((p) => p.userId),
      });
      const participants = members.map((m) => ({
        acsUserId: m.acsUserId,
        displayName: m.displayName,
      }));
      const { threadId } = await startChat({
        topic: topic.trim() || "Chat",
        participants,
        idempotencyKey: intentKey.current,
      });
      dialogRef.current?.close();
      router.push(`/chat/${encodeURIComponent(threadId)}`);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setStarting(false);
    }
  }

  return (
    <>
      <p>
        <button type="button" onClick={open}>
          New chat
        </button>
      </p>
      <dialog ref={dialogRef} aria-labelledby={ids.title}>
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <h2 id={ids.title}>New chat</h2>
          <label htmlFor={ids.search}>
            Add people
            <input
              id={ids.search}
              type="search"
              role="searchbox"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder="Start of a name, or a full email"
              autoComplete="off"
            />
          </label>
          {results.error && <p className="error">{describeError(results.error)}</p>}
          {results.data && deferredQuery.length >= MIN_QUERY && (
            <ul aria-label="People found" className="threads">
              {results.data.length === 0 && (
                <li className="muted">Nobody matches “{deferredQuery}”.</li>
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
          {picked.length > 0 && (
            <p aria-live="polite">With: {picked.map((p) => p.displayName).join(", ")}</p>
          )}
          <label htmlFor={ids.topic}>
            Topic
            <input
              id={ids.topic}
              value={topic}
              onChange={(e) => setTopic(e.target.value)}
              maxLength={200}
            />
          </label>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <div style={{ display: "flex", gap: "0.75rem" }}>
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
