// Empty strings count as unset, so `FOO=` in a .env file means "not configured". The rule of
// `optionalString()` (./env.ts) as a plain function, import-free for readers that cannot load the
// zod env helper (@t3-oss/env-core): acs-server's Edge entry point.

/** `value`, or undefined when it is missing or only whitespace. */
export function unsetIfBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
