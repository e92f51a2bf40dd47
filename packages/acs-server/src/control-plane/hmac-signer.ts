// ACS access-key request signing (HMAC-SHA256), byte-identical to the SDK's
// CommunicationAccessKeyCredentialPolicy (../shared/docs/acs-wire-facts.md §1), on Web Crypto only: no node: imports,
// no Buffer, so it runs on the Edge runtime and in browsers' workers alike.

export interface SignableRequest {
  method: string;
  /** Absolute URL, exactly as it will be requested. */
  url: string;
  /** The body string as sent; undefined or "" for none. */
  body?: string;
  /** Base64 access key of the ACS resource. */
  accessKey: string;
  /** Signing time; defaults to now. */
  date?: Date;
}

export interface AcsSignatureHeaders {
  "x-ms-date": string;
  "x-ms-content-sha256": string;
  authorization: string;
  /** What the signature binds; fetch sets the same Host from the URL (default ports omitted). */
  host: string;
}

const encoder = new TextEncoder();

function toBase64(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `VERB\npath?query\ndate;host;contentHash`, the query re-serialised by URLSearchParams as the SDK does. */
export function stringToSign(method: string, url: URL, date: string, contentHash: string): string {
  const query = url.searchParams.toString();
  const pathAndQuery = query ? `${url.pathname}?${query}` : url.pathname;
  return `${method.toUpperCase()}\n${pathAndQuery}\n${date};${url.host};${contentHash}`;
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(accessKey: string): Promise<CryptoKey> {
  let key = importedKeys.get(accessKey);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      fromBase64(accessKey),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    importedKeys.set(accessKey, key);
  }
  return key;
}

export async function signAcsRequest(request: SignableRequest): Promise<AcsSignatureHeaders> {
  const url = new URL(request.url);
  const date = (request.date ?? new Date()).toUTCString();
  const contentHash = toBase64(
    await crypto.subtle.digest("SHA-256", encoder.encode(request.body ?? "")),
  );
  const signature = toBase64(
    await crypto.subtle.sign(
      "HMAC",
      await hmacKey(request.accessKey),
      encoder.encode(stringToSign(request.method, url, date, contentHash)),
    ),
  );
  return {
    "x-ms-date": date,
    "x-ms-content-sha256": contentHash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
    host: url.host,
  };
}
