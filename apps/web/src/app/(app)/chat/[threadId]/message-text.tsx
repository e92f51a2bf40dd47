// A message's text as React elements: line breaks kept (CSS pre-wrap), http(s) links clickable.
// Never HTML: "html" messages from other clients are reduced to their text first.
import { useMemo } from "react";
import { htmlToText } from "~/lib/html-to-text";
import { linkify } from "~/lib/linkify";

export function MessageText({ content, type }: { content: string; type: string | undefined }) {
  const segments = useMemo(
    () => linkify(type === "html" ? htmlToText(content) : content),
    [content, type],
  );
  return (
    <p className="message-text">
      {segments.map((segment, i) =>
        segment.kind === "link" ? (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </p>
  );
}
