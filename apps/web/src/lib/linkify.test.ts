import { describe, expect, it } from "vitest";
import { linkify } from "./linkify";

const links = (text: string) =>
  linkify(text)
    .filter((s) => s.kind === "link")
    .map((s) => s.text);

describe("linkify", () => {
  it("splits text around http and https links, keeping every character", () => {
    const text = "See https://example.com/a?b=1#c and http://x.test/ too";
    const segments = linkify(text);
    expect(segments).toEqual([
      { kind: "text", text: "See " },
      { kind: "link", text: "https://example.com/a?b=1#c", href: "https://example.com/a?b=1#c" },
      { kind: "text", text: " and " },
      { kind: "link", text: "http://x.test/", href: "http://x.test/" },
      { kind: "text", text: " too" },
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });

  it("leaves trailing punctuation outside the link", () => {
    expect(links("Go to https://example.com.")).toEqual(["https://example.com"]);
    expect(links("https://example.com/x, then https://example.com/y!?")).toEqual([
      "https://example.com/x",
      "https://example.com/y",
    ]);
    expect(links('"https://example.com/q"')).toEqual(["https://example.com/q"]);
  });

  it("keeps brackets the URL opened and drops the ones around it", () => {
    expect(links("(see https://en.wikipedia.org/wiki/Ada_(programming_language))")).toEqual([
      "https://en.wikipedia.org/wiki/Ada_(programming_language)",
    ]);
    expect(links("(https://example.com/path)")).toEqual(["https://example.com/path"]);
    expect(links("[https://example.com]")).toEqual(["https://example.com"]);
  });

  it("links only http(s): other schemes and markup stay text", () => {
    for (const text of [
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "ftp://example.com/file",
      "vbscript:msgbox",
      "<a href=javascript:alert(1)>x</a>",
    ]) {
      expect(linkify(text), text).toEqual([{ kind: "text", text }]);
    }
    expect(links("https://")).toEqual([]);
    // An http link inside other text is still only that http link.
    expect(linkify("javascript://https://evil.test")).toEqual([
      { kind: "text", text: "javascript://" },
      { kind: "link", text: "https://evil.test", href: "https://evil.test/" },
    ]);
  });

  it("stops at quotes and angle brackets, so markup cannot ride along", () => {
    expect(links('https://example.com/"><img src=x onerror=alert(1)>')).toEqual([
      "https://example.com/",
    ]);
  });

  it("handles empty text and text without links", () => {
    expect(linkify("")).toEqual([]);
    expect(linkify("just words")).toEqual([{ kind: "text", text: "just words" }]);
  });
});
