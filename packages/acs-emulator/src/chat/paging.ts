// Paging of the Chat list operations: page size, start time, continuation and next-page link.
import { z } from "zod";
import type { EmulatorRequest } from "../http/types";
import { badRequest, CHAT_API_VERSION, requestPath } from "./requests";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 250;

export function pageSize(request: EmulatorRequest): number {
  const raw = request.url.searchParams.get("maxPageSize");
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badRequest(`maxPageSize must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return n;
}

export function nonNegativeInt(request: EmulatorRequest, name: string): number {
  const raw = request.url.searchParams.get(name);
  if (raw === null) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${name} must be a non-negative integer.`);
  return n;
}

export function startTime(request: EmulatorRequest): number | undefined {
  const raw = request.url.searchParams.get("startTime");
  if (raw === null) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw badRequest("startTime must be an RFC 3339 date-time.");
  return t;
}

/** Continuation of a list, opaque to clients (base64url JSON). */
export function readSyncState(request: EmulatorRequest): Record<string, number> | undefined {
  const raw = request.url.searchParams.get("syncState");
  if (raw === null) return undefined;
  try {
    const parsed = z
      .record(z.string(), z.number())
      .parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed;
  } catch {
    throw badRequest("The syncState continuation is not valid.");
  }
}

export function encodeSyncState(state: Record<string, number>): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

/** Absolute https next-page link carrying api-version and the continuation (the SDK adds nothing). */
export function nextLink(
  request: EmulatorRequest,
  params: Record<string, string | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
  query.set("api-version", CHAT_API_VERSION);
  const host = request.headers.host ?? request.url.host;
  return `https://${host}${requestPath(request)}?${query.toString()}`;
}
