"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useId, useMemo, useRef, useState } from "react";
import { describeError } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";
import { PresenceDot, usePresenceOf } from "../../_components/presence";

interface Person {
  acsUserId: string;
  displayName: string;
}
type StartChat = (input: {
  topic: string;
  participants: Person[];
  idempotencyKey: string;
}) => Promise<{ threadId: string }>;

export function NewChatDialog({ startChat }: { startChat: StartChat }) {
  const trpc = useTRPC();
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
    enabled: deferredQuery.length > 0,
  });

  // The search itself makes these people visible to me (and me to them): watch them.
  const foundIds = useMemo(() => (results.data ?? []).map((person) => person.acsUserId), [results.data]);
  const presence = usePresenceOf(foundIds);

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
      const { threadId } = await startChat({ topic: topic.trim() || "Chat", participants: picked, idempotencyKey: intentKey.current });
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
              placeholder="Name or email"
              autoComplete="off"
            />
          </label>
          {results.error && <p className="error">{describeError(results.error)}</p>}
          {results.data && (
            <ul aria-label="People found" className="threads">
              {results.data.length === 0 && <li className="muted">Nobody matches “{deferredQuery}”.</li>}
              {results.data.map((person) => {
                const chosen = picked.some((p) => p.acsUserId === person.acsUserId);
                return (
                  <li key={person.userId}>
                    <button
                      type="button"
                      className="secondary"
                      aria-pressed={chosen}
                      onClick={() =>
                        setPicked((list) =>
                          chosen
                            ? list.filter((p) => p.acsUserId !== person.acsUserId)
                            : [...list, { acsUserId: person.acsUserId, displayName: person.displayName }],
                        )
                      }
                    >
                      {chosen ? "Remove" : "Add"} {person.displayName}
                    </button>
                    <PresenceDot name={person.displayName} view={presence.get(person.acsUserId)} />
                  </li>
                );
              })}
            </ul>
          )}
          {picked.length > 0 && <p aria-live="polite">With: {picked.map((p) => p.displayName).join(", ")}</p>}
          <label htmlFor={ids.topic}>
            Topic
            <input id={ids.topic} value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={200} />
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
