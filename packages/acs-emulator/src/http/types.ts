// The seam between the emulator's transport (node http/https on one port) and its API modules
// (identity, chat, entra, events). Modules see a buffered request and return a plain response.
import type { ServerResponse } from "node:http";

export interface EmulatorRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Parsed URL; `pathname` keeps the percent-encoding as sent (HMAC signs it that way). */
  readonly url: URL;
  /** The request target exactly as received (path + query). */
  readonly rawTarget: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The whole body, buffered. */
  readonly body: Buffer;
  /** "https" or "http": which side of the shared port the request came in on. */
  readonly scheme: "https" | "http";
  /** The connection's two ends (tells a same-machine client from another one). */
  readonly socket?: { readonly remoteAddress?: string; readonly localAddress?: string };
}

export type EmulatorResponse =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Serialised as application/json; omitted → empty body. */
      readonly json?: unknown;
    }
  | {
      readonly status: number;
      /** Must include content-type. */
      readonly headers: Readonly<Record<string, string>>;
      /** A page (the local Entra ID's sign-in form), sent as is. */
      readonly html: string;
    }
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Long-lived responses (SSE): the module writes to the raw response itself. */
      readonly stream: (res: ServerResponse) => void;
    };

/** A module's router: returns undefined when the route is not its own. */
export type RouteHandler = (request: EmulatorRequest) => Promise<EmulatorResponse | undefined>;

/**
 * Thrown anywhere in a handler; the transport answers `{"error":{"code","message"}}` with `status`,
 * the ACS error shape (CommunicationErrorResponse) that core-client turns into a RestError.
 */
export class AcsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "AcsHttpError";
  }
}
