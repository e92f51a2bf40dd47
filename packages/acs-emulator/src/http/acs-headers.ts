// Response headers real ACS sends on every answer of its Identity and Chat APIs, as recorded in
// ../shared/acs-recordings (identity-1.3.0, chat-1.4.0-beta.2). Front Door's own headers
// (X-Azure-Ref, X-Cache) are Azure's, not the service's, and are left out.
import { randomBytes } from "node:crypto";

export type AcsApi = "identity" | "chat";

/** api-version(s) the emulator serves per API; real ACS lists every version it still accepts. */
export const SERVED_API_VERSIONS: Readonly<Record<AcsApi, readonly string[]>> = {
  identity: ["2023-10-01"],
  chat: ["2025-03-15"],
};

/** A client request id the emulator repeats back: printable ASCII, bounded (never a header injection). */
const ECHOABLE = /^[\x20-\x7e]{1,256}$/;

/** Which ACS API a request target belongs to; undefined for the emulator's own routes. */
export function acsApiOf(rawTarget: string): AcsApi | undefined {
  const path = rawTarget.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "").split("?")[0] ?? "";
  const first = path.split("/").find((segment) => segment !== "");
  if (first === "identities" || first === "teamsUser") return "identity";
  if (first === "chat") return "chat";
  return undefined;
}

/** An MS-CV correlation vector: 16 random bytes in unpadded base64, then ".0" (22 + 2 chars). */
export function correlationVector(): string {
  return `${randomBytes(16).toString("base64").replace(/=+$/, "")}.0`;
}

export function acsResponseHeaders(
  api: AcsApi,
  request: { readonly clientRequestId: string | undefined; readonly startedAt: number },
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {
    "api-supported-versions": SERVED_API_VERSIONS[api].join(", "),
    "ms-cv": correlationVector(),
    "strict-transport-security": "max-age=2592000",
    "x-processing-time": `${Math.max(0, Math.round(now - request.startedAt))}ms`,
  };
  // Only the Identity API echoes the client's request id and sends Request-Context.
  if (api === "identity") {
    headers["request-context"] = "appId=";
    const id = request.clientRequestId;
    if (id !== undefined && ECHOABLE.test(id)) headers["x-ms-client-request-id"] = id;
  }
  return headers;
}

/**
 * Content-Type of an error body: the Identity API answers errors as plain `application/json`,
 * successes (and the Chat API everything) as `application/json; charset=utf-8`.
 */
export function errorContentType(api: AcsApi | undefined): string {
  return api === "identity" ? "application/json" : "application/json; charset=utf-8";
}
