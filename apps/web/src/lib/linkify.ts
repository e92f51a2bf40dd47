// Splits message text into plain text and http(s) links, for rendering as React elements (never
// as HTML). Other schemes (javascript:, data:, …) stay text.

export type TextSegment =
  { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?'"*_~]+$/;
const PAIRS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Drops trailing sentence punctuation and closing brackets that the URL itself did not open. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const trimmed = url.replace(TRAILING, "");
    const last = trimmed.at(-1);
    const open = last ? PAIRS[last] : undefined;
    if (open && last && count(trimmed, last) > count(trimmed, open)) {
      url = trimmed.slice(0, -1);
      continue;
    }
    return trimmed;
  }
}

function safeHref(text: string): string | undefined {
  try {
    const url = new URL(text);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname) return url.href;
  } catch {
    // Not a URL after all: stays text.
  }
  return undefined;
}

export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let plain = "";
  let at = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    plain += text.slice(at, start);
    if (href) {
      if (plain) segments.push({ kind: "text", text: plain });
      plain = "";
      segments.push({ kind: "link", text: url, href });
    } else {
      plain += url;
    }
    at = start + url.length;
  }
  plain += text.slice(at);
  if (plain) segments.push({ kind: "text", text: plain });
  return segments;
}
