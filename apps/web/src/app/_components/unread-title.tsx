"use client";
// While the tab is hidden, the tab title leads with the total unread count: "(2) Chats — acs-stack".
import { useInbox } from "@acs-stack/acs-client/react";
import { useEffect } from "react";

const COUNT_PREFIX = /^\(\d+\+?\) /;

export function UnreadTitle() {
  const { totalUnread, totalUnreadMore } = useInbox();
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(COUNT_PREFIX, "");
      const hidden = document.visibilityState === "hidden";
      const next =
        hidden && totalUnread > 0 ? `(${totalUnread}${totalUnreadMore ? "+" : ""}) ${base}` : base;
      if (document.title !== next) document.title = next;
    };
    apply();
    document.addEventListener("visibilitychange", apply);
    return () => {
      document.removeEventListener("visibilitychange", apply);
      document.title = document.title.replace(COUNT_PREFIX, "");
    };
  }, [totalUnread, totalUnreadMore]);
  return null;
}
