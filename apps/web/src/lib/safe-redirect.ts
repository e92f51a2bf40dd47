// Where to send a person after sign-in: only a path of this site, never another origin. Values come
// from the URL (`callbackUrl`) and so from anyone who can send a link.
export const DEFAULT_AFTER_SIGN_IN = "/chat";

/** Parses relative to this placeholder origin; any value that leaves it is someone else's site. */
const PLACEHOLDER_ORIGIN = "http://app.invalid";

// C0 controls, DEL and C1 controls: browsers strip or reinterpret them (`/\t/evil` becomes `//evil`),
// and a newline in a Location header makes the response fail.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A same-origin path (with query and fragment) for `value`, or `fallback`. Never throws.
 * Refuses absolute and protocol-relative URLs, backslashes (browsers read `/\evil` as `//evil`),
 * control characters, and anything that does not start with a single "/".
 */
export function safeRedirectPath(value: unknown, fallback: string = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  if (value.includes("\\") || CONTROL_CHARACTERS.test(value)) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (parsed.origin !== PLACEHOLDER_ORIGIN) return fallback;
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  // The normalised path must still be a single-slash path (dot segments cannot climb to `//host`).
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}
