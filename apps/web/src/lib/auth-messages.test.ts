import { describe, expect, it } from "vitest";
import { AUTH_MESSAGES, authMessage } from "./auth-messages";

describe("authMessage", () => {
  it("maps known codes, hides unknown ones behind a generic message, and ignores absence", () => {
    expect(authMessage("invalid-credentials")).toBe(AUTH_MESSAGES["invalid-credentials"]);
    expect(authMessage("revoked")).toMatch(/signed out everywhere/);
    expect(authMessage("<script>")).toBe(AUTH_MESSAGES.unexpected);
    expect(authMessage(undefined)).toBeNull();
    expect(authMessage("")).toBeNull();
  });
});
