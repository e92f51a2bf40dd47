"use client";
// The thread's people as a sheet: a "Participants (n)" button in the thread header opens a native
// modal <dialog> (focus stays inside, Escape closes, focus returns to the button). On narrow screens
// it rises from the bottom, from 1024 px it slides in at the right (thread.css). One DOM for both.
//
// Remove asks first (a confirm dialog) rather than offering Undo: taking someone out of a chat is
// seen by them at once (the thread leaves their list), so an "Undo" could not honestly undo it.
import { useDeferredValue, useId, useMemo, useRef, useState } from "react";
import { describeError } from "~/lib/errors";
import { useTRPCClient } from "~/trpc/react";
import { useRead } from "~/trpc/use-read";
import { PresenceDot, usePresenceOf } from "../../../_components/presence";
import { Avatar } from "./avatar";

interface Participant {
  acsUserId?: string;
  displayName?: string;
  id?: unknown;
}

function idOf(p: Participant): string {
  if (p.acsUserId) return p.acsUserId;
  const id = p.id as { communicationUserId?: string } | string | undefined;
  return typeof id === "string" ? id : (id?.communicationUserId ?? "");
}

/** Closes a modal dialog when the backdrop (the dialog element itself, outside its body) is clicked. */
function closeOnBackdrop(event: React.MouseEvent<HTMLDialogElement>) {
  if (event.target === event.currentTarget) event.currentTarget.close();
}

export function ParticipantsPanel(props: {
  participants: readonly Participant[];
  add: (people: Array<{ acsUserId: string; displayName: string }>) => Promise<void>;
  remove: (acsUserId: string) => Promise<void>;
  selfAcsUserId: string | undefined;
}) {
  const trpcClient = useTRPCClient();
  const ids = { search: useId(), title: useId(), confirmTitle: useId(), confirmText: useId() };
  const sheetRef = useRef<HTMLDialogElement>(null);
  const confirmRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const deferred = useDeferredValue(query.trim());
  // The directory answers a full email address or the first two or more letters of a name.
  const searching = deferred.length >= 2;
  const results = useRead(searching ? deferred : null, (signal) =>
    trpcClient.acs.directory.search.query({ query: deferred }, { signal }),
  );
  const present = new Set(props.participants.map(idOf));
  const others = useMemo(
    () => props.participants.map(idOf).filter((id) => id && id !== props.selfAcsUserId),
    [props.participants, props.selfAcsUserId],
  );
  // Participants someone else added may not see me yet: let them watch me, then watch them.
  const presence = usePresenceOf(others, { allowFirst: true });

  function confirmRemove() {
    const target = removing;
    confirmRef.current?.close();
    if (!target) return;
    setError(null);
    props.remove(target.id).catch((e: unknown) => setError(describeError(e)));
    // Their row (and its button) goes away: keep focus inside the sheet.
    closeRef.current?.focus();
  }

  return (
    <>
      <button
        ref={openerRef}
        type="button"
        className="secondary thread-participants-button"
        aria-haspopup="dialog"
        onClick={() => sheetRef.current?.showModal()}
      >
        Participants ({props.participants.length})
      </button>
      <dialog
        ref={sheetRef}
        className="participants-sheet"
        aria-label="Participants"
        onClick={closeOnBackdrop}
        onClose={() => openerRef.current?.focus()}
      >
        <div className="participants-sheet-body">
          <div className="participants-sheet-head">
            <h2 id={ids.title}>Participants</h2>
            <button
              ref={closeRef}
              type="button"
              className="secondary"
              onClick={() => sheetRef.current?.close()}
            >
              Close
            </button>
          </div>
          <ul className="participants-list">
            {props.participants.map((p) => {
              const id = idOf(p);
              const self = id === props.selfAcsUserId;
              const name = p.displayName ?? id;
              return (
                <li key={id}>
                  <Avatar acsUserId={id} name={name} />
                  <span className="participant-name">
                    {self ? `${p.displayName ?? "You"} (you)` : name}
                    {!self && <PresenceDot name={name} view={presence.get(id)} />}
                  </span>
                  {!self && (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Remove ${name}`}
                      onClick={() => {
                        setRemoving({ id, name });
                        confirmRef.current?.showModal();
                        // The safe choice has focus: Enter or Space on a stray press keeps them.
                        cancelRef.current?.focus();
                      }}
                    >
                      Remove
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          <label htmlFor={ids.search}>
            Add someone
            <input
              id={ids.search}
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder="Start of a name, or a full email"
              autoComplete="off"
            />
          </label>
          {searching && results.data?.length === 0 && (
            <p className="muted">Nobody matches “{deferred}”.</p>
          )}
          {searching &&
            results.data?.map((r) => (
              <button
                key={r.userId}
                type="button"
                className="secondary"
                onClick={() => {
                  setQuery("");
                  setError(null);
                  // Gives them an ACS identity and lets us see each other's presence, then adds
                  // them to the thread.
                  void trpcClient.acs.directory.addToChat
                    .mutate({ userIds: [r.userId] })
                    .then((members) => {
                      const people = members.filter((m) => !present.has(m.acsUserId));
                      return people.length > 0
                        ? props.add(
                            people.map((m) => ({
                              acsUserId: m.acsUserId,
                              displayName: m.displayName,
                            })),
                          )
                        : undefined;
                    })
                    .catch((e: unknown) => setError(describeError(e)));
                }}
              >
                Add {r.displayName}
              </button>
            ))}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </div>
      </dialog>
      <dialog
        ref={confirmRef}
        role="alertdialog"
        className="confirm-dialog"
        aria-labelledby={ids.confirmTitle}
        aria-describedby={ids.confirmText}
        onClose={() => setRemoving(null)}
      >
        <h2 id={ids.confirmTitle}>Remove {removing?.name}?</h2>
        <p id={ids.confirmText}>
          They leave this chat now: it disappears from their list and they get no new messages. You
          can add them again later.
        </p>
        <div className="confirm-actions">
          <button type="button" className="danger" onClick={confirmRemove}>
            Remove
          </button>
          <button
            ref={cancelRef}
            type="button"
            className="secondary"
            onClick={() => confirmRef.current?.close()}
          >
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
