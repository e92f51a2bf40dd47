// Two ways to call the procedures in tests: createCaller (in-process) and the HTTP fetch adapter
// with real Request objects. Both normalise failures to { code, message, httpStatus?, retryAfterSeconds? }.
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { RateLimitedError } from "../../src/errors";
import { acsServerRouter } from "../../src/root";
import type { AcsServices } from "../../src/services";
import type { SessionUser } from "../../src/contract";
import { createCallerFactory, createTRPCContext } from "../../src/trpc";

export type ProcedurePath =
  | "acs.identity.me"
  | "acs.identity.delete"
  | "acs.token.issue"
  | "acs.token.refresh"
  | "acs.token.revoke"
  | "acs.directory.search"
  | "acs.directory.addToChat"
  | "acs.presence.set"
  | "acs.presence.heartbeat"
  | "acs.presence.allow"
  | "acs.teams.exchangeToken";

const QUERIES = new Set<ProcedurePath>(["acs.identity.me", "acs.directory.search"]);
export const ALL_PROCEDURES: ProcedurePath[] = [
  "acs.identity.me",
  "acs.identity.delete",
  "acs.token.issue",
  "acs.token.refresh",
  "acs.token.revoke",
  "acs.directory.search",
  "acs.directory.addToChat",
  "acs.presence.set",
  "acs.presence.heartbeat",
  "acs.presence.allow",
  "acs.teams.exchangeToken",
];

export class ProcedureFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
    readonly retryAfterSeconds?: number | null,
    readonly zodError?: unknown,
  ) {
    super(message);
  }
}

export interface Transport {
  name: string;
  call<T = unknown>(user: SessionUser | null, path: ProcedurePath, input?: unknown): Promise<T>;
}

/** The failure of `promise` as a ProcedureFailure (fails the test when it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<ProcedureFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProcedureFailure) return error;
    throw error;
  }
  throw new Error("expected the procedure to fail, but it succeeded");
}

export function callerTransport(services: AcsServices): Transport {
  const createCaller = createCallerFactory(acsServerRouter);
  return {
    name: "createCaller",
    async call<T>(user: SessionUser | null, path: ProcedurePath, input?: unknown): Promise<T> {
      const caller = createCaller(createTRPCContext({ user, services }));
      const [, router, procedure] = path.split(".") as [string, string, string];
      const fn = (
        caller.acs as unknown as Record<string, Record<string, (input?: unknown) => Promise<T>>>
      )[router]![procedure]!;
      try {
        return await fn(input);
      } catch (error) {
        if (!(error instanceof TRPCError)) throw error;
        const retryAfter =
          error.cause instanceof RateLimitedError ? error.cause.retryAfterSeconds : null;
        throw new ProcedureFailure(error.code, error.message, undefined, retryAfter);
      }
    },
  };
}

interface TrpcErrorBody {
  error: {
    message: string;
    code: number;
    data: { code: string; httpStatus: number; retryAfterSeconds: number | null; zodError: unknown };
  };
}

/**
 * The tRPC fetch handler as a host app mounts it, with the session lookup stood in for by a header
 * naming the signed-in user (tests and the bench).
 */
export function headerSessionHandler(services: AcsServices, header = "x-test-user") {
  return (req: Request) =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: acsServerRouter,
      createContext: ({ req }) => {
        const id = req.headers.get(header);
        return createTRPCContext({ user: id ? { id } : null, services, headers: req.headers });
      },
    });
}

export function httpTransport(services: AcsServices): Transport {
  const handle = headerSessionHandler(services);
  return {
    name: "http fetch adapter",
    async call<T>(user: SessionUser | null, path: ProcedurePath, input?: unknown): Promise<T> {
      // The wire format of @trpc/client's httpBatchLink (a batch of one), as browsers send it.
      const headers = new Headers();
      if (user) headers.set("x-test-user", user.id);
      const batchInput = JSON.stringify({ 0: input });
      let request: Request;
      if (QUERIES.has(path)) {
        request = new Request(
          `http://localhost/api/trpc/${path}?batch=1&input=${encodeURIComponent(batchInput)}`,
          { method: "GET", headers },
        );
      } else {
        headers.set("content-type", "application/json");
        request = new Request(`http://localhost/api/trpc/${path}?batch=1`, {
          method: "POST",
          headers,
          body: batchInput,
        });
      }
      const response = await handle(request);
      const [body] = (await response.json()) as Array<
        { result?: { data: T } } & Partial<TrpcErrorBody>
      >;
      if (!body) throw new Error(`empty batch response (HTTP ${response.status})`);
      if (body.error) {
        const { data, message } = body.error;
        throw new ProcedureFailure(
          data.code,
          message,
          response.status,
          data.retryAfterSeconds,
          data.zodError,
        );
      }
      return body.result!.data;
    },
  };
}
