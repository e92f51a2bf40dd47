// The host names that mean "this machine": real ACS is never there, a local emulator always is.
// Edge-safe (no imports), so the Edge entry point's configuration check can use it too.

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True when `url` parses and its host is a loopback name (`URL.hostname` keeps IPv6 brackets). */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}
