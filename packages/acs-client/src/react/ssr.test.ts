// Server rendering: the provider and hooks render their initial state without a window, without
// fetching a token and without loading the chat SDK.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { expect, it } from "vitest";
import { AcsProvider, useAcsToken, useChat, useThreads } from "./index";

it("renders on the server with no window and no token fetch", () => {
  expect(typeof window).toBe("undefined");
  let fetches = 0;
  function Page() {
    const token = useAcsToken();
    const threads = useThreads();
    const chat = useChat("19:any@thread.v2");
    return createElement(
      "p",
      null,
      `${token.status}|${threads.threads.length}|${chat.messages.length}|${chat.connection}|${chat.status}`,
    );
  }
  const html = renderToString(
    createElement(
      AcsProvider,
      {
        fetchToken: () => Promise.reject(new Error(`never on the server (${++fetches})`)),
        displayName: "x",
      },
      createElement(Page),
    ),
  );
  expect(html).toContain("expired|0|0|offline|opening");
  expect(fetches).toBe(0);
});

it("the hooks say clearly when used outside AcsProvider", () => {
  function Orphan() {
    useAcsToken();
    return null;
  }
  expect(() => renderToString(createElement(Orphan))).toThrow(/inside <AcsProvider>/);
});
