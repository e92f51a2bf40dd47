"use client";
// Browser notifications for new messages from others in threads that are not open (another page
// or thread, or the tab is hidden), when the person turned them on (/account). A click focuses
// the tab and opens the thread.
import { useInbox, useInboxNewMessages } from "@acs-stack/acs-client/react";
import { usePathname, useRouter } from "next/navigation";
import { useRef } from "react";
import { notificationState } from "~/lib/notification-preference";

const BODY_CHARS = 140;

export function MessageNotifier({ userId }: { userId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const { threads } = useInbox();
  const seen = useRef({ pathname, threads });
  seen.current = { pathname, threads };

  useInboxNewMessages((threadId, message) => {
    if (notificationState(userId) !== "on") return;
    const path = `/chat/${encodeURIComponent(threadId)}`;
    // (Typed nullable because the app has a Pages Router page too; it is never null in here.)
    const open = decodeURIComponent(seen.current.pathname ?? "") === `/chat/${threadId}`;
    if (open && document.visibilityState === "visible") return;
    const topic = seen.current.threads.find((t) => t.id === threadId)?.topic;
    const body = message.text
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    const notification = new Notification(
      topic ? `${message.senderName} in ${topic}` : message.senderName,
      { body: body.slice(0, BODY_CHARS), tag: threadId },
    );
    notification.onclick = () => {
      window.focus();
      router.push(path);
      notification.close();
    };
  });
  return null;
}
