// Test-only SDK pipeline policies that run after the SDK signed a request ("perRetry"), to tamper
// with it or to re-sign it with chosen inputs (an old x-ms-date, a raw body).
import { createHash, createHmac } from "node:crypto";
import type { IdentityClientPolicy } from "./emulator";

type Request = Parameters<IdentityClientPolicy["policy"]["sendRequest"]>[0];

export function afterSigning(
  name: string,
  mutate: (request: Request) => void,
): IdentityClientPolicy {
  return {
    position: "perRetry",
    policy: {
      name,
      sendRequest(request, next) {
        mutate(request);
        return next(request);
      },
    },
  };
}

/** Signs exactly as the SDK does, but with the given date (and optionally a replacement body). */
export function resignWith(options: {
  accessKey: string;
  date: Date;
  body?: string;
}): IdentityClientPolicy {
  return afterSigning("resignWith", (request) => {
    if (options.body !== undefined) request.body = options.body;
    const body = typeof request.body === "string" ? request.body : "";
    const url = new URL(request.url);
    const query = url.searchParams.toString();
    const pathAndQuery = query ? `${url.pathname}?${query}` : url.pathname;
    const date = options.date.toUTCString();
    const hash = createHash("sha256").update(body).digest("base64");
    const toSign = `${request.method}\n${pathAndQuery}\n${date};${url.host};${hash}`;
    const signature = createHmac("sha256", Buffer.from(options.accessKey, "base64"))
      .update(toSign)
      .digest("base64");
    request.headers.set("x-ms-date", date);
    request.headers.set("x-ms-content-sha256", hash);
    request.headers.set(
      "authorization",
      `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
    );
  });
}
