// `GET /emulator/info`: how another process reaches and trusts this emulator. The connection string
// carries the access key, so it is included only for a client on this machine that is a page of an
// allowed origin or no page of another site: no Origin and not a browser's cross-site request
// (Sec-Fetch-Site, https://developer.mozilla.org/docs/Web/HTTP/Headers/Sec-Fetch-Site).
import type { CorsPolicy } from "./cors";
import { isLoopbackAddress, normaliseAddress } from "./host-check";
import type { EmulatorRequest, RouteHandler } from "./types";

export interface EmulatorInfo {
  readonly endpoint: string;
  readonly connectionString: string;
  readonly caCertPem: string;
  readonly resourceId: string;
  readonly version: string;
}

/** True for a peer on this machine: loopback, or the very address it connected to. */
function sameMachine(socket: EmulatorRequest["socket"]): boolean {
  const remote = socket?.remoteAddress;
  if (remote === undefined) return false;
  if (isLoopbackAddress(remote)) return true;
  const local = socket?.localAddress;
  return local !== undefined && normaliseAddress(remote) === normaliseAddress(local);
}

/** Same machine, and either a page of an allowed origin or no page of another site at all. */
export function mayReadAccessKey(request: EmulatorRequest, cors: CorsPolicy): boolean {
  if (!sameMachine(request.socket)) return false;
  const origin = request.headers.origin;
  if (origin !== undefined) return cors.allows(origin);
  return request.headers["sec-fetch-site"]?.toLowerCase() !== "cross-site";
}

export function createEmulatorInfoRoute(options: {
  info: () => EmulatorInfo;
  cors: CorsPolicy;
}): RouteHandler {
  return (request) => {
    if (request.url.pathname !== "/emulator/info" || request.method !== "GET")
      return Promise.resolve(undefined);
    const { connectionString, ...publicInfo } = options.info();
    const json = mayReadAccessKey(request, options.cors)
      ? { ...publicInfo, connectionString }
      : publicInfo;
    return Promise.resolve({ status: 200, json });
  };
}
