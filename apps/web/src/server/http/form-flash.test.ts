import { describe, expect, it } from "vitest";
import {
  FORM_FLASH_COOKIE,
  FORM_FLASH_MAX_AGE_SECONDS,
  clearedFormFlashSetCookie,
  decodeFormFlash,
  encodeFormFlash,
  formFlashSetCookie,
  type FormFlash,
} from "./form-flash";

const SECRET = "test-only-secret-0123456789abcdef";
const NOW = Date.UTC(2026, 10, 29, 8, 0, 0);
const flash: FormFlash = {
  form: "sign-up",
  state: { error: "Enter a display name.", field: "displayName", email: "ada@example.test" },
};

describe("the start page's flash cookie", () => {
  it("carries what the form says, once signed with the secret", () => {
    const value = encodeFormFlash(flash, SECRET, NOW);
    expect(decodeFormFlash(value, SECRET, NOW + 1000)).toEqual(flash);
  });

  it("is refused when changed, signed with another secret, or malformed", () => {
    const value = encodeFormFlash(flash, SECRET, NOW);
    const [payload, signature] = value.split(".") as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ form: "sign-in", at: NOW / 1000, state: { error: "Call +1 555 0100" } }),
    ).toString("base64url");
    expect(decodeFormFlash(`${forged}.${signature}`, SECRET, NOW)).toBeUndefined();
    expect(decodeFormFlash(value, "another-secret-0123456789abcdef", NOW)).toBeUndefined();
    expect(decodeFormFlash(`${payload}.`, SECRET, NOW)).toBeUndefined();
    expect(decodeFormFlash(payload, SECRET, NOW)).toBeUndefined();
    expect(decodeFormFlash(`${value}.x`, SECRET, NOW)).toBeUndefined();
    expect(decodeFormFlash("", SECRET, NOW)).toBeUndefined();
    expect(decodeFormFlash(undefined, SECRET, NOW)).toBeUndefined();
  });

  it("is ignored once older than its lifetime", () => {
    const value = encodeFormFlash(flash, SECRET, NOW);
    const later = NOW + (FORM_FLASH_MAX_AGE_SECONDS + 1) * 1000;
    expect(decodeFormFlash(value, SECRET, later)).toBeUndefined();
  });

  it("never holds more than its limits, so the cookie stays small", () => {
    const long = { form: "sign-in" as const, state: { email: "a".repeat(10_000) } };
    const decoded = decodeFormFlash(encodeFormFlash(long, SECRET, NOW), SECRET, NOW);
    expect(decoded?.state.email).toHaveLength(320);
  });

  it("is httpOnly, SameSite=Lax, short-lived, and Secure on https", () => {
    const header = formFlashSetCookie(flash, { secret: SECRET, secure: true });
    expect(header).toMatch(new RegExp(`^${FORM_FLASH_COOKIE}=[\\w-]+\\.[\\w-]+; `));
    expect(header).toContain("; HttpOnly");
    expect(header).toContain("; SameSite=Lax");
    expect(header).toContain(`; Max-Age=${FORM_FLASH_MAX_AGE_SECONDS}`);
    expect(header).toContain("; Secure");
    expect(formFlashSetCookie(flash, { secret: SECRET, secure: false })).not.toContain("Secure");
    expect(clearedFormFlashSetCookie(false)).toMatch(
      new RegExp(`^${FORM_FLASH_COOKIE}=; Path=/; Max-Age=0;`),
    );
  });
});
