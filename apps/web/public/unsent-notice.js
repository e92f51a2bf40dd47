// The start page's notice of messages a forced sign-out left unsent (stashed in this tab's
// sessionStorage by src/lib/acs-session.ts). Plain DOM code: the start page loads no React
// (src/pages/index.tsx). The texts are set as text, never parsed as HTML.
/* global document, sessionStorage */
(() => {
  const slot = document.getElementById("unsent-notice");
  const key = slot?.dataset.storageKey;
  if (!slot || !key) return;
  let texts = [];
  try {
    const parsed = JSON.parse(sessionStorage.getItem(key) ?? "[]");
    if (Array.isArray(parsed)) texts = parsed.filter((text) => typeof text === "string");
  } catch {
    return; // storage blocked, or not ours: nothing to show
  }
  if (texts.length === 0) return;

  const element = (name, text) => {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const one = texts.length === 1;
  const notice = element("div");
  notice.setAttribute("role", "alert");
  notice.className = "notice";
  notice.append(
    element(
      "p",
      `${one ? "1 message was not sent" : `${texts.length} messages were not sent`} because your ` +
        `session ended. Copy ${one ? "it" : "them"} and send again after signing in:`,
    ),
  );
  const list = element("ul");
  for (const text of texts) {
    const item = element("li");
    item.append(element("q", text));
    list.append(item);
  }
  const dismiss = element("button", "Dismiss");
  dismiss.type = "button";
  dismiss.className = "secondary";
  dismiss.addEventListener("click", () => {
    sessionStorage.removeItem(key);
    notice.remove();
  });
  notice.append(list, dismiss);
  slot.append(notice);
})();
