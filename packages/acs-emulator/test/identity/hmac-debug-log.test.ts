// At debug level a signature mismatch logs the string-to-sign the emulator expected (like Azurite).
import { expect, it } from "vitest";
import { contentHash, createHmacVerifier, sign, stringToSign } from "../../src/auth/hmac";
import { createLogger } from "../../src/log";
import type { EmulatorRequest } from "../../src/http/types";

it("logs the expected string-to-sign when a signature does not match", () => {
  const lines: string[] = [];
  const key = Buffer.alloc(64, 1).toString("base64");
  const verifier = createHmacVerifier({
    accessKeys: [key],
    now: () => new Date(),
    log: createLogger("debug", (l) => lines.push(l)),
  });
  const body = Buffer.from('{"scopes":["chat"]}');
  const date = new Date().toUTCString();
  const request: EmulatorRequest = {
    method: "POST",
    url: new URL(
      "https://127.0.0.1:4443/identities/8%3Aacs%3Ax_y/:issueAccessToken?api-version=2023-10-01",
    ),
    rawTarget: "/identities/8%3Aacs%3Ax_y/:issueAccessToken?api-version=2023-10-01",
    body,
    scheme: "https",
    headers: {
      host: "127.0.0.1:4443",
      "x-ms-date": date,
      "x-ms-content-sha256": contentHash(body),
      authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${sign(Buffer.alloc(64, 2).toString("base64"), "x")}`,
    },
  };
  expect(() => verifier.verify(request)).toThrow(
    expect.objectContaining({ status: 401, code: "Denied" }) as Error,
  );
  const expected = stringToSign(request, date, "127.0.0.1:4443", contentHash(body));
  expect(expected).toBe(
    `POST\n/identities/8%3Aacs%3Ax_y/:issueAccessToken?api-version=2023-10-01\n${date};127.0.0.1:4443;${contentHash(body)}`,
  );
  expect(lines.join("")).toContain(JSON.stringify(expected));

  const signed = {
    ...request,
    headers: {
      ...request.headers,
      authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${sign(key, expected)}`,
    },
  };
  expect(() => verifier.verify(signed)).not.toThrow();
});
