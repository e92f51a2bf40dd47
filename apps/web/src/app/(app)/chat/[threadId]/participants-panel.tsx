"use client";
import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useMemo, useState } from "react";
import { useTRPC } from "~/trpc/react";
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
  const searchId = useId();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const results = useQuery({ ...trpc.acs.directory.search.queryOptions({ query: deferred }), enabled: deferred.length > 0 });
  const present = new Set(props.participants.map(idOf));
  const others = useMemo(
    () => props.participants.map(idOf).filter((id) => id && id !== props.selfAcsUserId),
    [props.participants, props.selfAcsUserId],
  );
  // Participants may never have found me in the directory: let them watch me, then watch them.
  const presence = usePresenceOf(others, { allowFirst: true });

  return (
    <aside aria-label="Participants" className="card">
      <h2 style={{ marginTop: 0 }}>People</h2>
      <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
        {props.participants.map((p) => {
          const id = idOf(p);
          const self = id === props.selfAcsUserId;
          return (
            <li key={id} style={{ display: "flex", justifyContent: "space-between", gap: "0.5rem" }}>
              <span>
                {self ? `${p.displayName ?? "You"} (you)` : (p.displayName ?? id)}
                {!self && <PresenceDot name={p.displayName ?? id} view={presence.get(id)} />}
              </span>
              {!self && (
                <button type="button" className="secondary" aria-label={`Remove ${p.displayName ?? id}`} onClick={() => void props.remove(id)}>
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <label htmlFor={searchId}>
        Add someone
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>
      {results.data?.filter((r) => !present.has(r.acsUserId)).map((r) => (
        <button
          key={r.userId}
          type="button"
          className="secondary"
          onClick={() => {
            setQuery("");
            void props.add([{ acsUserId: r.acsUserId, displayName: r.displayName }]);
          }}
        >
          Add {r.displayName}
        </button>
      ))}
    </aside>
  );
}
