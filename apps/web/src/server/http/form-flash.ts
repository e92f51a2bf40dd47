// What a refused form post says, carried to the page it redirects to (Post/Redirect/Get): the start
// page ships no JavaScript, so its forms post to route handlers, which answer 303 and leave the
// error and the typed email and display name (never the password) here. httpOnly, SameSite=Lax,
// 60 seconds, read once by the page. Signed with an HMAC of AUTH_SECRET, so a cookie planted by a
// sibling subdomain (same site) cannot put words of its own on the page.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { FormState } from "~/lib/form";

export const FORM_FLASH_COOKIE = "acs-form-flash";
export const FORM_FLASH_MAX_AGE_SECONDS = 60;

export type FlashForm = "sign-in" | "sign-up";

export interface FormFlash {
  form: FlashForm;
  state: FormState;
}

const LIMITS = { error: 500, field: 40, email: 320, displayName: 200 } as const;

const flashSchema = z.object({
  form: z.enum(["sign-in", "sign-up"]),
  /** Written at (seconds since the epoch): an old value is ignored even if a browser kept it. */
  at: z.number().int(),
  state: z.object({
    error: z.string().max(LIMITS.error).optional(),
    field: z.string().max(LIMITS.field).optional(),
    email: z.string().max(LIMITS.email).optional(),
    displayName: z.string().max(LIMITS.displayName).optional(),
    sent: z.boolean().optional(),
  }),
});

function clipped(state: FormState): FormState {
  const clip = (value: string | undefined, max: number) => value?.slice(0, max);
  return {
    error: clip(state.error, LIMITS.error),
    field: clip(state.field, LIMITS.field),
    email: clip(state.email, LIMITS.email),
    displayName: clip(state.displayName, LIMITS.displayName),
    sent: state.sent,
  };
}

/** `secret`: AUTH_SECRET (the callers pass it; this module reads no configuration). */
const signatureOf = (payload: string, secret: string) =>
  createHmac("sha256", secret).update(`acs-stack form flash\n${payload}`).digest();

/** The cookie value: base64url JSON, a dot, its signature. */
export function encodeFormFlash(
  flash: FormFlash,
  secret: string,
  now: number = Date.now(),
): string {
  const body = { form: flash.form, at: Math.floor(now / 1000), state: clipped(flash.state) };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  return `${payload}.${signatureOf(payload, secret).toString("base64url")}`;
}

/** The flash in `value`, or undefined when absent, unsigned, tampered with, malformed or stale. */
export function decodeFormFlash(
  value: string | undefined,
  secret: string,
  now: number = Date.now(),
): FormFlash | undefined {
  if (!value || value.length > 4096) return undefined;
  const [payload, signature, ...rest] = value.split(".");
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = signatureOf(payload, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let parsed: z.infer<typeof flashSchema>;
  try {
    parsed = flashSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return undefined;
  }
  const age = Math.floor(now / 1000) - parsed.at;
  if (age < 0 || age > FORM_FLASH_MAX_AGE_SECONDS) return undefined;
  return { form: parsed.form, state: parsed.state };
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  const attributes = [`Path=/`, `Max-Age=${maxAge}`, "HttpOnly", "SameSite=Lax"];
  if (secure) attributes.push("Secure");
  return [`${FORM_FLASH_COOKIE}=${value}`, ...attributes].join("; ");
}

export interface FlashCookieOptions {
  secret: string;
  /** The app is served over https: the cookie carries `Secure`. */
  secure: boolean;
}

/** A Set-Cookie header value carrying `flash`. */
export const formFlashSetCookie = (flash: FormFlash, options: FlashCookieOptions): string =>
  cookie(encodeFormFlash(flash, options.secret), FORM_FLASH_MAX_AGE_SECONDS, options.secure);

/** A Set-Cookie header value that removes the flash (it is read once). */
export const clearedFormFlashSetCookie = (secure: boolean): string => cookie("", 0, secure);
