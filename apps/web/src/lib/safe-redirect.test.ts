import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/chat", "/chat"],
    ["/chat/19:abc@thread.v2", "/chat/19:abc@thread.v2"],
    ["/account?tab=tokens#expiry", "/account?tab=tokens#expiry"],
    ["/", "/"],
    ["/chat/%2F%2Fevil.example", "/chat/%2F%2Fevil.example"],
    ["/chat/../account", "/account"],
  ])("keeps the same-origin path %j", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });

  const hostile: unknown[] = [
    "https://evil.example/phish",
    "http://evil.example",
    "//evil.example/phish",
    "///evil.example/phish",
    "/\t/evil.example/phish",
    "/%09/evil.example/phish".replace("%09", "\t"),
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "/\\/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/chat\nLocation: https://evil.example",
    "/\u0000/evil.example",
    "/\u001b/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example/phish",
    " /chat",
    "\t//evil.example",
    "https:/evil.example",
    "http:evil.example",
    "//evil.example@localhost/",
    "/ /evil.example".replace(" ", "\u000b"),
    "",
    "x".repeat(3000),
    undefined,
    null,
    42,
    ["/chat"],
  ];

  it.each(hostile.map((value) => [value]))("refuses %j and falls back to /chat", (value) => {
    expect(safeRedirectPath(value)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("never throws, and honours another fallback", () => {
    expect(() => safeRedirectPath("/%E0%A4%A")).not.toThrow();
    expect(safeRedirectPath("//evil.example", "/account")).toBe("/account");
  });
});
