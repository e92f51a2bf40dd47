"use client";
import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useMemo, useState } from "react";
import { describeError } from "~/lib/errors";
import { useTRPC, useTRPCClient } from "~/trpc/react";
import { PresenceDot, usePresenceOf } from "../../../_components/presence";

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

export function ParticipantsPanel(props: {
  participants: readonly Participant[];
  add: (people: Array<{ acsUserId: string; displayName: string }>) => Promise<void>;
  remove: (acsUserId: string) => Promise<void>;
  selfAcsUserId: string | undefined;
}) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const searchId = useId();
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);
  const deferred = useDeferredValue(query.trim());
  // The directory answers a full email address or the first two or more letters of a name.
  const searching = deferred.length >= 2;
  const results = useQuery({
    ...trpc.acs.directory.search.queryOptions({ query: deferred }),
    enabled: searching,
  });
  const present = new Set(props.participants.map(idOf));
  const others = useMemo(
    () => props.participants.map(idOf).filter((id) => id && id !== props.selfAcsUserId),
    [props.participants, props.selfAcsUserId],
  );
  // Participants someone else added may not see me yet: let them watch me, then watch them.
  const presence = usePresenceOf(others, { allowFirst: true });

  return (
    <aside aria-label="Participants" className="card">
      <h2 style={{ marginTop: 0 }}>People</h2>
      <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
        {props.participants.map((p) => {
          const id = idOf(p);
          const self = id === props.selfAcsUserId;
          return (
            <li
              key={id}
              style={{ display: "flex", justifyContent: "space-between", gap: "0.5rem" }}
            >
              <span>
                {self ? `${p.displayName ?? "You"} (you)` : (p.displayName ?? id)}
                {!self && <PresenceDot name={p.displayName ?? id} view={presence.get(id)} />}
              </span>
              {!self && (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Remove ${p.displayName ?? id}`}
                  onClick={() => void props.remove(id)}
                >
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <label htmlFor={searchId}>
        Add someone
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
        />
      </label>
      {searching &&
        results.data?.map((r) => (
          <button
            key={r.userId}
            type="button"
            className="secondary"
            onClick={() => {
              setQuery("");
              setError(null);
              // Gives them an ACS identity and lets us see each other's presence, then adds them to the thread.
              void trpcClient.acs.directory.addToChat
                .mutate({ userIds: [r.userId] })
                .then((members) => {
                  const people = members.filter((m) => !present.has(m.acsUserId));
                  return people.length > 0
                    ? props.add(
                        people.map((m) => ({ acsUserId: m.acsUserId, displayName: m.displayName })),
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
    </aside>
  );
}
