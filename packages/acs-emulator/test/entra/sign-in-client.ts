// A minimal OAuth client for the tests: HTTPS requests that trust the emulator's CA and do not follow
// redirects, PKCE values, and the hidden fields of the sign-in form.
import { createHash, randomBytes } from "node:crypto";
import https from "node:https";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export function httpsRequest(
  caCertPem: string,
  method: string,
  url: string,
  init: { headers?: Record<string, string>; form?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method,
        ca: caCertPem,
        headers: {
          ...(body !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
          ...init.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const headers: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            headers[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({
            status: response.statusCode ?? 0,
            headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The value of the form's hidden `flow` field (the pending sign-in). */
export function flowOf(html: string): string {
  const match = /<input type="hidden" name="flow" value="([^"]+)">/.exec(html);
  if (!match?.[1]) throw new Error(`no sign-in form in: ${html.slice(0, 300)}`);
  return match[1];
}

export function basicAuth(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString("base64")}`;
}
