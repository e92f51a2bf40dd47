// Which names this emulator answers to. A web page can point a name it controls (evil.example) at
// 127.0.0.1 (DNS rebinding) and then read the emulator as its own origin; its requests still carry
// `Host: evil.example`, so every request whose Host is not one of our names is refused.
// Background: https://en.wikipedia.org/wiki/DNS_rebinding
import net from "node:net";
import { AcsHttpError } from "./types";

// Our packages share one list (@acs-stack/config/loopback); the emulator imports none of them.
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** `::ffff:127.0.0.1` (an IPv4 peer of a dual-stack socket) → `127.0.0.1`; IPv6 lower-cased. */
export function normaliseAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && net.isIPv4(lower.slice(7)) ? lower.slice(7) : lower;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const normalised = normaliseAddress(address);
  const family = net.isIP(normalised);
  return family !== 0 && LOOPBACK.check(normalised, family === 4 ? "ipv4" : "ipv6");
}

/** `localhost` or a loopback address: what the emulator binds to by default. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || isLoopbackAddress(name);
}

const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::\d{1,5})?$/i;

/** The name in a Host header without port and brackets, lower-case; undefined when malformed. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  const match = hostHeader === undefined ? null : HOST_HEADER.exec(hostHeader.trim());
  if (!match) return undefined;
  const name = (match[1] ?? match[2] ?? "").toLowerCase().replace(/\.$/, "");
  return name === "" ? undefined : name;
}

export interface HostCheck {
  /** True when `hostHeader` names this emulator; `localAddress` is the address the client reached. */
  allows(hostHeader: string | undefined, localAddress: string | undefined): boolean;
  /**
   * @throws AcsHttpError 400 `InvalidRequest` for a missing or malformed Host, 421 `HostNotAllowed`
   * (RFC 9110 §15.5.20 Misdirected Request) for a name that is not this emulator's.
   */
  check(hostHeader: string | undefined, localAddress: string | undefined): void;
}

const WILDCARD_HOSTS = new Set(["", "0.0.0.0", "::"]);

/**
 * Accepts `localhost`, loopback addresses, the address the client connected to (an IP literal
 * cannot be rebound), the bound host and `allowedHosts` (exact names, e.g. a LAN name).
 */
export function createHostCheck(options: {
  bindHost: string;
  allowedHosts?: readonly string[];
}): HostCheck {
  const names = new Set<string>(["localhost"]);
  const bind = hostnameOf(options.bindHost) ?? options.bindHost.toLowerCase();
  if (!WILDCARD_HOSTS.has(bind)) names.add(normaliseAddress(bind));
  for (const host of options.allowedHosts ?? []) {
    const name = hostnameOf(host);
    if (!name) throw new Error(`Allowed host '${host}' is not a host name or address.`);
    names.add(normaliseAddress(name));
  }
  const allows = (hostHeader: string | undefined, localAddress: string | undefined) => {
    const name = hostnameOf(hostHeader);
    if (name === undefined) return false;
    const normalised = normaliseAddress(name);
    return (
      names.has(normalised) ||
      isLoopbackAddress(normalised) ||
      (localAddress !== undefined &&
        net.isIP(normalised) !== 0 &&
        normalised === normaliseAddress(localAddress))
    );
  };
  const accepted = [...names, "loopback addresses", "the address connected to"].join(", ");
  return {
    allows,
    check(hostHeader, localAddress) {
      if (hostnameOf(hostHeader) === undefined) {
        throw new AcsHttpError(400, "InvalidRequest", "The Host header is missing or malformed.", {
          connection: "close",
        });
      }
      if (allows(hostHeader, localAddress)) return;
      throw new AcsHttpError(
        421,
        "HostNotAllowed",
        `The Host '${hostHeader ?? ""}' is not a name of this emulator (accepted: ${accepted}). ` +
          "Start it with --allowed-host <name> to accept another name.",
        { connection: "close" },
      );
    },
  };
}

/** The warning for a bind address other people's machines can reach, or undefined. */
export function exposureWarning(bindHost: string): string | undefined {
  if (isLoopbackHost(bindHost)) return undefined;
  return (
    `listening on ${bindHost || "all interfaces"}, not loopback: other machines on the network can ` +
    "reach the emulator, and with the published default access keys they can create identities, " +
    "issue tokens and read every chat. Bind to 127.0.0.1 unless you need this; if you do, set your " +
    "own --access-key and --secondary-access-key."
  );
}
