"use client";
// Presence in the browser: this tab's heartbeat, the header's state picker, and the dots
// next to other people. Everything waits for a token that carries the `presence` scope, since the
// server answers FORBIDDEN without it.
import { useAcsToken } from "@acs-stack/acs-client/react";
import type { PresenceState } from "@acs-stack/acs-server/contract";
import { PRESENCE_STATES } from "@acs-stack/acs-server/contract";
import { useEffect, useId, useMemo, useState, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { onAcsSessionDispose } from "~/lib/acs-session";
import { HEADER_PRESENCE_SLOT_ID } from "~/lib/presence-slot";
import { useTRPCClient } from "~/trpc/react";

export interface PresenceView {
  state: PresenceState;
  text: string | null;
}

export function useHasPresenceScope(): boolean {
  const token = useAcsToken();
  return token.scopes.includes("presence") && token.status !== "revoked";
}

// The caller's own state, shared by the heartbeat (which learns it) and the picker (which sets it).
let ownState: PresenceView | undefined;
const ownListeners = new Set<() => void>();
function setOwnState(next: PresenceView) {
  ownState = next;
  for (const listener of ownListeners) listener();
}
function useOwnState() {
  return useSyncExternalStore(
    (listener) => {
      ownListeners.add(listener);
      return () => ownListeners.delete(listener);
    },
    () => ownState,
    () => undefined,
  );
}

/**
 * Sends a heartbeat once a token with `presence` exists, then every `heartbeatIntervalSeconds` (the
 * server's answer), and at once when the tab becomes visible again or the network returns. Stops on
 * sign-out (the ACS session's disposers) and unmount.
 */
export function PresenceHeartbeat() {
  const trpc = useTRPCClient();
  const enabled = useHasPresenceScope();
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const beat = async () => {
      clearTimeout(timer);
      let nextSeconds = 20;
      try {
        const answer = await trpc.acs.presence.heartbeat.mutate();
        if (stopped) return;
        setOwnState({ state: answer.state, text: answer.text });
        nextSeconds = answer.heartbeatIntervalSeconds;
      } catch {
        // Offline or a token in flux: try again at the usual pace.
      }
      if (!stopped) timer = setTimeout(() => void beat(), nextSeconds * 1000);
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") void beat();
    };
    const onOnline = () => void beat();
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", onOnline);
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", onOnline);
    const unregister = onAcsSessionDispose(stop);
    void beat();
    return () => {
      unregister();
      stop();
    };
  }, [enabled, trpc]);
  return null;
}

/** The header's "Status" select and optional text, portalled into the server-rendered header. */
export function PresencePicker() {
  const [slot, setSlot] = useState<HTMLElement | null>(null);
  useEffect(() => setSlot(document.getElementById(HEADER_PRESENCE_SLOT_ID)), []);
  const enabled = useHasPresenceScope();
  if (!slot || !enabled) return null;
  return createPortal(<PresencePickerForm />, slot);
}

function PresencePickerForm() {
  const trpc = useTRPCClient();
  const ids = { state: useId(), text: useId() };
  const own = useOwnState();
  const [text, setText] = useState("");
  const [failed, setFailed] = useState(false);
  function setPresence(input: PresenceView) {
    setFailed(false);
    trpc.acs.presence.set.mutate(input).then(
      (answer) => setOwnState({ state: answer.state, text: answer.text }),
      () => setFailed(true),
    );
  }
  const state = own?.state ?? "online";
  return (
    <form
      className="presence-picker"
      onSubmit={(event) => {
        event.preventDefault();
        setPresence({ state, text: text.trim() || null });
      }}
    >
      <label htmlFor={ids.state}>Status</label>
      <select
        id={ids.state}
        value={state}
        disabled={!own}
        onChange={(event) =>
          setPresence({ state: event.target.value as PresenceState, text: text.trim() || null })
        }
      >
        {PRESENCE_STATES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <input
        id={ids.text}
        aria-label="Status text"
        placeholder="Status text"
        maxLength={80}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      {failed && (
        <span role="alert" className="error">
          Could not set your status.
        </span>
      )}
    </form>
  );
}

/** Pause before subscribing again after the server ended a watch (bounds a loop of instant ends). */
const RESUBSCRIBE_DELAY_MS = 250;

/**
 * Live presence of the given ACS users (`allowFirst`: let them watch me first, for thread participants
 * someone else added, who do not see me yet). Returns undefined per user until known; FORBIDDEN
 * (or no `presence` scope) → an empty map, so no dots are shown.
 *
 * The server ends each watch normally after ACS_PRESENCE_WATCH_MAX_SECONDS (before a serverless
 * function's time limit); the hook then subscribes again, keeping the dots it shows until the new
 * stream's first snapshot replaces them.
 */
export function usePresenceOf(
  acsUserIds: readonly string[],
  options: { allowFirst?: boolean } = {},
) {
  const trpcClient = useTRPCClient();
  const enabled = useHasPresenceScope();
  const ids = useMemo(() => [...new Set(acsUserIds)].sort().slice(0, 100), [acsUserIds]);
  const key = ids.join(",");
  const [allowedKey, setAllowedKey] = useState<string | null>(null);
  // Kept per set of users: a resumed stream updates them in place; other users start empty.
  const [views, setViews] = useState<{ key: string; byUser: ReadonlyMap<string, PresenceView> }>(
    () => ({ key, byUser: new Map() }),
  );

  useEffect(() => {
    if (!enabled || ids.length === 0) return;
    if (!options.allowFirst) {
      setAllowedKey(key);
      return;
    }
    let cancelled = false;
    trpcClient.acs.presence.allow
      .mutate({ acsUserIds: ids })
      .catch(() => undefined)
      .finally(() => {
        if (!cancelled) setAllowedKey(key);
      });
    return () => {
      cancelled = true;
    };
    // `key` stands for `ids`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, key, options.allowFirst, trpcClient]);

  const active = enabled && ids.length > 0 && allowedKey === key;
  // One watch per set of users and round; a new round starts after the server ended the last one.
  const [round, setRound] = useState(0);
  const run = `${key}#${round}`;
  // How the current watch ended: "complete" (the server's time limit) or "error" (e.g. FORBIDDEN).
  const [ended, setEnded] = useState<{ run: string; how: "complete" | "error" } | null>(null);
  useEffect(() => {
    if (!active) return;
    // Set on cleanup: an unsubscribed watch reports nothing more.
    let closed = false;
    const subscription = trpcClient.acs.presence.watch.subscribe(
      { acsUserIds: ids },
      {
        onData: (snapshot) => {
          if (closed || !snapshot.acsUserId) return;
          const acsUserId = snapshot.acsUserId;
          setViews((previous) => ({
            key,
            byUser: new Map(previous.key === key ? previous.byUser : []).set(acsUserId, {
              state: snapshot.state,
              text: snapshot.text,
            }),
          }));
        },
        onError: () => {
          if (!closed) setEnded({ run, how: "error" });
        },
        onComplete: () => {
          if (!closed) setEnded({ run, how: "complete" });
        },
      },
    );
    return () => {
      closed = true;
      subscription.unsubscribe();
      // A later watch (same users, enabled again) starts afresh, as a new subscription would.
      setEnded(null);
    };
    // `run` stands for `ids` and `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, run, trpcClient]);
  const status = ended?.run === run ? ended.how : "live";
  // The stream completed normally (the server's time limit): resume.
  useEffect(() => {
    if (!active || status !== "complete") return;
    const timer = setTimeout(() => setRound((r) => r + 1), RESUBSCRIBE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [active, status]);

  // FORBIDDEN (not visible, or the grant lacks presence): show nothing rather than a wrong state.
  if (status === "error" || !enabled || views.key !== key) return new Map<string, PresenceView>();
  return views.byUser;
}

/** A coloured dot with an accessible name ("A is online") and the optional status text. */
export function PresenceDot({ name, view }: { name: string; view: PresenceView | undefined }) {
  if (!view) return null;
  return (
    <span className="presence" data-testid="presence">
      <span
        role="img"
        aria-label={`${name} is ${view.state}`}
        className={`presence-dot presence-${view.state}`}
      />
      <span className="presence-state">{view.state}</span>
      {view.text && <span className="muted presence-text">{view.text}</span>}
    </span>
  );
}
