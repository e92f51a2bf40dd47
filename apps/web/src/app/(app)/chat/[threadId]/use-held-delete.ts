"use client";
// Delete with Undo. ACS cannot undelete a message, so nothing is sent meanwhile: the message is
// only hidden here, and the delete call goes out when the time is up, when another message is
// deleted, or at once when the person leaves the thread (unmount) or the page (pagehide, which
// unlike beforeunload keeps the back/forward cache). Until then nobody else sees anything change.
import { useEffect, useRef, useState } from "react";
import { holdAction, type HeldAction } from "~/lib/held-action";

/** Delete acts at once and offers "Undo" for this long. */
export const UNDO_MS = 5000;

export interface HeldDelete {
  /** The message hidden while its delete is held, if any. */
  readonly heldMessageId: string | undefined;
  /** Hides the message now and sends `send()` when the hold ends. */
  hold(messageId: string, send: () => void): void;
  /** Drops the held delete; false when it has already gone out. */
  undo(): boolean;
}

export function useHeldDelete(): HeldDelete {
  const [held, setHeld] = useState<{ messageId: string; action: HeldAction } | null>(null);
  const heldRef = useRef(held);
  heldRef.current = held;

  useEffect(() => {
    const flush = () => heldRef.current?.action.flush();
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, []);

  return {
    heldMessageId: held?.messageId,
    hold(messageId, send) {
      heldRef.current?.action.flush();
      const action = holdAction(() => {
        setHeld((shown) => (shown?.messageId === messageId ? null : shown));
        send();
      }, UNDO_MS);
      setHeld({ messageId, action });
    },
    undo() {
      if (!held?.action.undo()) return false;
      setHeld(null);
      return true;
    },
  };
}
