// The host names that mean "this machine": real ACS is never there, a local emulator always is.
// Pure and import-free (browsers and the Edge runtime load it). The emulator keeps its own, stricter
// check (packages/acs-emulator/src/http/host-check.ts: it imports none of our packages).

/** Loopback hosts as `URL.hostname` writes them (lower case, IPv6 in brackets). */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True for 127.0.0.1, localhost or [::1], in any case. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** True when `url` parses and its host is a loopback host. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url || !URL.canParse(url)) return false;
  return isLoopbackHost(new URL(url).hostname);
}

/**
 * The host a URL uses to reach a server bound to `bindHost`: a wildcard address (all interfaces)
 * means 127.0.0.1, and a bare IPv6 address gets its brackets.
 */
export function hostToConnectTo(bindHost: string): string {
  if (bindHost === "0.0.0.0" || bindHost === "::" || bindHost === "") return "127.0.0.1";
  return bindHost.includes(":") && !bindHost.startsWith("[") ? `[${bindHost}]` : bindHost;
}
