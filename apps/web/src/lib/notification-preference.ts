// The person's choice to get browser notifications for new messages, kept in this browser per
// signed-in user (localStorage), and what the browser allows.

export type NotificationState = "unsupported" | "blocked" | "on" | "off";

const CHANGED = "acs-stack:notifications-changed";

const keyFor = (userId: string) => `acs-stack:notifications:${userId}`;

export function notificationsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

function storedChoice(userId: string): boolean {
  try {
    return window.localStorage.getItem(keyFor(userId)) === "on";
  } catch {
    return false; // storage disabled
  }
}

export function notificationState(userId: string): NotificationState {
  if (!notificationsSupported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  return Notification.permission === "granted" && storedChoice(userId) ? "on" : "off";
}

export function setNotificationChoice(userId: string, on: boolean): void {
  try {
    if (on) window.localStorage.setItem(keyFor(userId), "on");
    else window.localStorage.removeItem(keyFor(userId));
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  window.dispatchEvent(new Event(CHANGED));
}

/** Calls `listener` when the choice changes in this tab or another one. */
export function onNotificationChoice(listener: () => void): () => void {
  window.addEventListener(CHANGED, listener);
  window.addEventListener("storage", listener);
  return () => {
    window.removeEventListener(CHANGED, listener);
    window.removeEventListener("storage", listener);
  };
}
