// Recomputes the access-key signature exactly as @azure/communication-common signs
// (CommunicationAccessKeyCredentialPolicy): base64(HMAC-SHA256(base64-decoded key,
// "VERB\n<pathAndQuery>\n<x-ms-date>;<host>;<contentHash>")), query re-serialised by URLSearchParams.
import { createHmac, hash, timingSafeEqual } from "node:crypto";
import type { Logger } from "../modules";
import { AcsHttpError, type EmulatorRequest } from "../http/types";

/** How far `x-ms-date` may be from the emulator's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const AUTH_PATTERN = /^HMAC-SHA256\s+SignedHeaders=([^&]+)&Signature=(.+)$/i;

export function contentHash(body: Buffer): string {
  // One-shot: several times cheaper than a createHash object for a request-sized body.
  return hash("sha256", body, "base64");
}

export function stringToSign(
  request: Pick<EmulatorRequest, "method" | "url">,
  date: string,
  host: string,
  hash: string,
): string {
  const query = request.url.searchParams.toString();
  const pathAndQuery = query === "" ? request.url.pathname : `${request.url.pathname}?${query}`;
  return `${request.method}\n${pathAndQuery}\n${date};${host};${hash}`;
}

export function sign(accessKeyBase64: string, text: string): string {
  return createHmac("sha256", Buffer.from(accessKeyBase64, "base64"))
    .update(text, "utf8")
    .digest("base64");
}

function denied(message: string): AcsHttpError {
  return new AcsHttpError(401, "Denied", message);
}

export interface HmacVerifier {
  /** Throws AcsHttpError 401 unless the request is signed with the primary or the secondary key. */
  verify(request: EmulatorRequest): void;
}

export function createHmacVerifier(options: {
  accessKeys: readonly string[];
  now: () => Date;
  log: Logger;
}): HmacVerifier {
  // Decoded once, not per request.
  const keys = options.accessKeys.map((key) => Buffer.from(key, "base64"));
  return {
    verify(request) {
      const authorization = request.headers.authorization;
      if (!authorization) {
        throw new AcsHttpError(
          401,
          "InvalidAuthenticationToken",
          "The request has no Authorization header.",
        );
      }
      const match = AUTH_PATTERN.exec(authorization.trim());
      if (!match) {
        throw new AcsHttpError(
          401,
          "InvalidAuthenticationToken",
          "Authorization must be 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>' or 'Bearer <token>'.",
        );
      }
      const signedHeaders = (match[1] ?? "").toLowerCase();
      const signature = match[2] ?? "";
      if (signedHeaders !== "x-ms-date;host;x-ms-content-sha256") {
        throw denied(
          `SignedHeaders must be x-ms-date;host;x-ms-content-sha256, got ${signedHeaders}.`,
        );
      }
      const date = request.headers["x-ms-date"];
      const host = request.headers.host;
      const sentHash = request.headers["x-ms-content-sha256"];
      if (!date || !host || !sentHash) {
        throw denied("x-ms-date, host and x-ms-content-sha256 headers are required.");
      }
      const dateMs = Date.parse(date);
      if (Number.isNaN(dateMs)) throw denied(`x-ms-date '${date}' is not an RFC 1123 date.`);
      const skew = Math.abs(options.now().getTime() - dateMs);
      if (skew > MAX_CLOCK_SKEW_MS) {
        throw denied(`x-ms-date '${date}' is more than 15 minutes away from the emulator's clock.`);
      }
      const actualHash = contentHash(request.body);
      if (actualHash !== sentHash) {
        throw denied("x-ms-content-sha256 does not match the request body.");
      }
      const expected = stringToSign(request, date, host, actualHash);
      const sent = Buffer.from(signature, "base64");
      const accepted = keys.some((key) => {
        const computed = createHmac("sha256", key).update(expected, "utf8").digest();
        return computed.length === sent.length && timingSafeEqual(computed, sent);
      });
      if (!accepted) {
        options.log.debug("HMAC signature mismatch; expected string-to-sign follows", {
          stringToSign: expected,
        });
        throw denied(
          "The request signature does not match (HMAC-SHA256 with the primary or secondary access key).",
        );
      }
    },
  };
}
