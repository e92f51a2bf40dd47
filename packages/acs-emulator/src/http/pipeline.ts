// Turns node's request/response into the module seam: buffers the body, answers CORS preflights,
// dispatches to the route handler and maps every thrown error to an ACS error body, once, here.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Logger } from "../modules";
import { acsApiOf, acsResponseHeaders, errorContentType } from "./acs-headers";
import { createCorsPolicy, type CorsPolicy } from "./cors";
import { errorBody, errorBodyOf, isUnversioned } from "./errors";
import { createHostCheck, type HostCheck } from "./host-check";
import {
  AcsHttpError,
  type EmulatorRequest,
  type EmulatorResponse,
  type RouteHandler,
} from "./types";
import type { RequestListener } from "./transport";

export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () =>
      tooLarge ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks)),
    );
    req.on("error", reject);
  });
}

function flattenHeaders(req: http.IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

export interface RequestPipeline {
  readonly listener: RequestListener;
  /** Resolves when every request that has started has been answered. */
  drain(): Promise<void>;
}

export function createRequestPipeline(options: {
  route: RouteHandler;
  log: Logger;
  /** Names this emulator answers to (DNS rebinding guard); default: localhost and loopback. */
  hosts?: HostCheck;
  /** Origins whose pages may call it; default: pages on localhost and loopback addresses. */
  cors?: CorsPolicy;
  maxBodyBytes?: number;
}): RequestPipeline {
  const inFlight = new Set<Promise<void>>();
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const hosts = options.hosts ?? createHostCheck({ bindHost: "127.0.0.1" });
  const cors = options.cors ?? createCorsPolicy();

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    scheme: "https" | "http",
  ): Promise<void> {
    const requestId = randomUUID();
    const origin = req.headers.origin;
    const baseHeaders = { ...cors.headers(origin), "x-ms-request-id": requestId };
    const method = (req.method ?? "GET").toUpperCase();
    const rawTarget = req.url ?? "/";
    const startedAt = performance.now();
    const api = acsApiOf(rawTarget);
    const clientRequestId = req.headers["x-ms-client-request-id"];

    const send = (response: EmulatorResponse, error?: unknown) => {
      const acsHeaders =
        api && method !== "OPTIONS"
          ? acsResponseHeaders(
              api,
              {
                clientRequestId: typeof clientRequestId === "string" ? clientRequestId : undefined,
                startedAt,
              },
              performance.now(),
            )
          : {};
      if (isUnversioned(error)) delete acsHeaders["api-supported-versions"];
      const headers: Record<string, string> = {
        ...baseHeaders,
        ...acsHeaders,
        ...response.headers,
      };
      if ("stream" in response) {
        res.writeHead(response.status, headers);
        response.stream(res);
        return;
      }
      if ("html" in response) {
        const page = Buffer.from(response.html, "utf8");
        res.writeHead(response.status, { ...headers, "content-length": String(page.length) });
        res.end(page);
        return;
      }
      if (response.json === undefined) {
        // RFC 9110 §8.6: no Content-Length on a 204 (real ACS sends none); other empty bodies say 0.
        res.writeHead(
          response.status,
          response.status === 204 ? headers : { ...headers, "content-length": "0" },
        );
        res.end();
        return;
      }
      const payload = Buffer.from(JSON.stringify(response.json));
      res.writeHead(response.status, {
        ...headers,
        "content-type":
          error !== undefined ? errorContentType(api) : "application/json; charset=utf-8",
        "content-length": String(payload.length),
      });
      res.end(payload);
    };

    try {
      try {
        hosts.check(req.headers.host, req.socket.localAddress);
        // A page of the emulator itself (the local Entra ID's sign-in form) is always let in.
        if (origin?.toLowerCase() !== `${scheme}://${req.headers.host ?? ""}`.toLowerCase()) {
          cors.check(origin);
        }
      } catch (refusal) {
        req.resume();
        throw refusal;
      }
      if (method === "OPTIONS") {
        req.resume();
        const headers =
          origin === undefined
            ? { allow: "GET, POST, PATCH, DELETE, OPTIONS" }
            : cors.preflightHeaders(origin);
        send({ status: 204, headers });
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          throw new AcsHttpError(
            413,
            "RequestEntityTooLarge",
            `The request body exceeds ${limit} bytes.`,
            {
              connection: "close",
            },
          );
        }
        throw error;
      }
      let url: URL;
      try {
        url = new URL(rawTarget, `${scheme}://${req.headers.host ?? "localhost"}`);
      } catch {
        throw new AcsHttpError(
          400,
          "InvalidRequest",
          "The request target or Host header is malformed.",
        );
      }
      const request: EmulatorRequest = {
        method,
        url,
        rawTarget,
        headers: flattenHeaders(req),
        body,
        scheme,
        socket: { remoteAddress: req.socket.remoteAddress, localAddress: req.socket.localAddress },
      };
      const response = await options.route(request);
      send(
        response ?? {
          status: 404,
          json: errorBody("NotFound", `No route for ${method} ${url.pathname}.`),
        },
        response === undefined ? "no route" : undefined,
      );
    } catch (error) {
      if (res.headersSent) {
        options.log.error("error after the response started", { error: String(error) });
        res.destroy();
        return;
      }
      if (error instanceof AcsHttpError) {
        send({ status: error.status, headers: error.headers, json: errorBodyOf(error) }, error);
        return;
      }
      options.log.error("unexpected error", {
        method,
        target: rawTarget,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      send(
        {
          status: 500,
          json: errorBody("InternalError", "The emulator failed to process the request."),
        },
        error,
      );
    }
  }

  return {
    listener: (req, res, scheme) => {
      const task = handle(req, res, scheme).catch((error: unknown) => {
        options.log.error("failed to answer", { error: String(error) });
        res.destroy();
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
    },
    drain: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}
