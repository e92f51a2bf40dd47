// Shared zod schemas for every string a procedure (or the app's own forms) accepts. Control characters
// (NUL, ESC, newline, …) have no place in one-line input: they break logs, terminals and drivers
// (PostgreSQL refuses NUL in text). Text shown to other people also refuses the Unicode bidi
// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make a name or topic read as
// something else (CVE-2021-42574, "Trojan Source").
import { z } from "zod";

// C0 controls and DEL; `multiline` text keeps tab, newline and carriage return.
const CONTROL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/; // eslint-disable-line no-control-regex
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

export const CONTROL_CHARACTER_MESSAGE =
  "Must not contain control characters (NUL, newline, tab, escape, …).";
export const MULTILINE_CONTROL_CHARACTER_MESSAGE =
  "Must not contain control characters other than newline and tab (NUL, escape, …).";
export const BIDI_CONTROL_MESSAGE =
  "Must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069).";

export interface TextOptions {
  /** Characters after trimming. */
  max: number;
  /** Characters after trimming (default 0). */
  min?: number;
  /** Allows tab, newline and carriage return (text areas only). */
  multiline?: boolean;
}

/** A string without control characters, trimmed, `min`–`max` characters long. */
export function plainText({ max, min = 0, multiline = false }: TextOptions) {
  const pattern = multiline ? CONTROL_EXCEPT_LINES : CONTROL;
  const message = multiline ? MULTILINE_CONTROL_CHARACTER_MESSAGE : CONTROL_CHARACTER_MESSAGE;
  // Checked before trimming, so a trailing newline is refused rather than silently dropped.
  return z
    .string()
    .refine((value) => !pattern.test(value), { message })
    .trim()
    .min(min)
    .max(max);
}

/** True when `value` has no control character and no bidi control: safe to show to other people. */
export function isSafeDisplayText(value: string): boolean {
  return !CONTROL.test(value) && !BIDI_CONTROL.test(value);
}

/** Text that other people see (names, topics, status text): plain text without bidi controls. */
export function displayText(options: TextOptions) {
  return plainText(options).refine((value) => !BIDI_CONTROL.test(value), {
    message: BIDI_CONTROL_MESSAGE,
  });
}

export const DISPLAY_NAME_MAX = 80;
export const TOPIC_MAX = 200;
export const PRESENCE_TEXT_MAX = 80;
export const ID_MAX = 200;

/** A person's display name (sign-up, profile). */
export const displayNameSchema = displayText({ min: 1, max: DISPLAY_NAME_MAX });

/** A chat thread's topic. */
export const topicSchema = displayText({ min: 1, max: TOPIC_MAX });

/** The optional text next to a presence state. */
export const presenceTextSchema = displayText({ max: PRESENCE_TEXT_MAX });

/** An opaque identifier (app user id, ACS user id). */
export const idSchema = plainText({ min: 1, max: ID_MAX });
