import { describe, expect, it } from "vitest";
import { absoluteUrl } from "./site";

describe("absoluteUrl", () => {
  it("joins paths onto the local origin", () => {
    expect(absoluteUrl("/chat")).toBe("http://localhost:3000/chat");
    expect(absoluteUrl("account", "https://example.test/app/")).toBe(
      "https://example.test/app/account",
    );
  });
});
