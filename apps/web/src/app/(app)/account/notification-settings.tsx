"use client";
// The opt-in for browser notifications of new messages (shown by MessageNotifier). The browser
// asks for permission on the click; the choice is kept in this browser for this person.
import { useEffect, useState } from "react";
import {
  notificationState,
  onNotificationChoice,
  setNotificationChoice,
  type NotificationState,
} from "~/lib/notification-preference";

const WORDS: Record<NotificationState, string> = {
  unsupported: "This browser cannot show notifications.",
  blocked:
    "Blocked by your browser. To turn them on, allow notifications for this site in the browser's site settings, then reload this page.",
  on: "On: you are notified of new messages in chats you do not have open.",
  off: "Off.",
};

export function NotificationSettings({ userId }: { userId: string }) {
  // Undefined until mounted: the server cannot know what the browser allows.
  const [state, setState] = useState<NotificationState>();
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    const read = () => setState(notificationState(userId));
    read();
    return onNotificationChoice(read);
  }, [userId]);

  async function turnOn() {
    setAsking(true);
    try {
      const permission =
        Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
      if (permission === "granted") setNotificationChoice(userId, true);
    } finally {
      setAsking(false);
      setState(notificationState(userId));
    }
  }

  return (
    <section aria-labelledby="notifications-title" className="stack">
      <h2 id="notifications-title">Notifications</h2>
      <p role="status" data-testid="notification-state">
        {state ? WORDS[state] : "Checking what this browser allows…"}
      </p>
      {state === "off" && (
        <button type="button" onClick={() => void turnOn()} disabled={asking}>
          {asking ? "Asking your browser…" : "Turn on notifications"}
        </button>
      )}
      {state === "on" && (
        <button
          type="button"
          className="secondary"
          onClick={() => setNotificationChoice(userId, false)}
        >
          Turn off notifications
        </button>
      )}
    </section>
  );
}
