"use client";
import { useEffect, useState } from "react";
import { clearStashedUnsentMessages, takeStashedUnsentMessages } from "~/lib/acs-session";

/** After a forced sign-out: the messages that were still waiting to be sent, so nothing is lost silently. */
export function UnsentNotice() {
  const [texts, setTexts] = useState<string[]>([]);
  useEffect(() => setTexts(takeStashedUnsentMessages()), []);
  if (texts.length === 0) return null;
  return (
    <div role="alert" className="notice">
      <p>
        {texts.length === 1 ? "1 message was not sent" : `${texts.length} messages were not sent`}{" "}
        because your session ended. Copy {texts.length === 1 ? "it" : "them"} and send again after
        signing in:
      </p>
      <ul>
        {texts.map((text, i) => (
          <li key={i}>
            <q>{text}</q>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          clearStashedUnsentMessages();
          setTexts([]);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
