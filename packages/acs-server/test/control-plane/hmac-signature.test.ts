// The hmac-rest signer against the official SDK: for the same request and the same x-ms-date, the
// Web Crypto signer must produce byte-identical x-ms-date, x-ms-content-sha256 and Authorization.
// The SDK's requests are captured at its HTTP client (after every pipeline policy, i.e. as sent).
import { CommunicationIdentityClient } from "@azure/communication-identity";
import type { CommunicationIdentityClientOptions } from "@azure/communication-identity";
import { afterEach, describe, expect, it, vi } from "vitest";

import { signAcsRequest } from "../../src/control-plane";

type HttpClient = NonNullable<CommunicationIdentityClientOptions["httpClient"]>;
type SentRequest = Parameters<HttpClient["sendRequest"]>[0];
type Response = Awaited<ReturnType<HttpClient["sendRequest"]>>;

const ACCESS_KEY =
  "jBc8DzyK5VPQAQYz+VGESWVKNCfkzzwRWfStlaZrPALBAtxVoTN3jAiLzZdzVTnShH7R0t9TBIHduj6Ihn0Qsw==";
const USER = "8:acs:0e1a5c2d-7b3f-4e6a-9c8d-a5ce00000001_00000000-aaaa-4bbb-8ccc-000000000042";
const FIXED_DATE = new Date("2026-11-28T01:48:53.000Z");

/** Headers-like object the SDK's deserializer can read. */
function headersOf(entries: Record<string, string>): Response["headers"] {
  const map = new Map(Object.entries(entries));
  return {
    get: (name: string) => map.get(name.toLowerCase()),
    has: (name: string) => map.has(name.toLowerCase()),
    set: (name: string, value: string | number | boolean) =>
      void map.set(name.toLowerCase(), String(value)),
    delete: (name: string) => void map.delete(name.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}

function capturingClient(endpoint: string) {
  const sent: SentRequest[] = [];
  const httpClient: HttpClient = {
    sendRequest: (request) => {
      sent.push(request);
      const path = new URL(request.url).pathname;
      const reply = (status: number, body?: unknown): Response => ({
        status,
        request,
        headers: headersOf(body === undefined ? {} : { "content-type": "application/json" }),
        ...(body === undefined ? {} : { bodyAsText: JSON.stringify(body) }),
      });
      if (request.method === "DELETE" || path.endsWith(":revokeAccessTokens"))
        return Promise.resolve(reply(204));
      if (path.endsWith(":issueAccessToken")) {
        return Promise.resolve(reply(200, { token: "x.y.z", expiresOn: "2026-11-29T01:48:53Z" }));
      }
      return Promise.resolve(reply(201, { identity: { id: USER } }));
    },
  };
  const client = new CommunicationIdentityClient(`endpoint=${endpoint};accesskey=${ACCESS_KEY}`, {
    httpClient,
    retryOptions: { maxRetries: 0 },
  });
  return { client, sent };
}

function bodyText(request: SentRequest): string | undefined {
  if (request.body === undefined || request.body === null) return undefined;
  if (typeof request.body !== "string")
    throw new Error("expected a string body from the identity SDK");
  return request.body;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("hmac-rest signatures equal the SDK's, byte for byte", () => {
  it.each([
    "https://127.0.0.1:47443/", // host with a non-default port
    "https://contoso.communication.azure.com/", // default port: host without :443
    "https://Contoso.Communication.Azure.com:443", // upper case, explicit default port, no slash
  ])("every Identity operation at %s", async (endpoint) => {
    vi.useFakeTimers({ now: FIXED_DATE, toFake: ["Date"] });
    const { client, sent } = capturingClient(endpoint);
    const user = { communicationUserId: USER };
    await client.createUser();
    await client.createUserAndToken(["chat"]);
    await client.getToken(user, ["chat", "voip"], { tokenExpiresInMinutes: 60 });
    await client.getToken(user, ["chat.join.limited"]);
    await client.revokeTokens(user);
    await client.deleteUser(user);
    expect(sent).toHaveLength(6);

    for (const request of sent) {
      const sdkDate = request.headers.get("x-ms-date");
      expect(sdkDate).toBe(FIXED_DATE.toUTCString());
      const ours = await signAcsRequest({
        method: request.method,
        url: request.url,
        body: bodyText(request),
        accessKey: ACCESS_KEY,
        date: new Date(Date.parse(sdkDate ?? "")),
      });
      expect({ request: `${request.method} ${request.url}`, ...pick(ours) }).toEqual({
        request: `${request.method} ${request.url}`,
        "x-ms-date": request.headers.get("x-ms-date"),
        "x-ms-content-sha256": request.headers.get("x-ms-content-sha256"),
        authorization: request.headers.get("authorization"),
      });
    }
    // The signature binds the body: a different body gives a different Authorization.
    const withBody = sent.find((r) => bodyText(r));
    expect(withBody).toBeDefined();
    const tampered = await signAcsRequest({
      method: withBody!.method,
      url: withBody!.url,
      body: `${bodyText(withBody!)} `,
      accessKey: ACCESS_KEY,
      date: FIXED_DATE,
    });
    expect(tampered.authorization).not.toBe(withBody!.headers.get("authorization"));
  });

  it("normalises the query the way the SDK does (URLSearchParams re-serialisation)", async () => {
    vi.useFakeTimers({ now: FIXED_DATE, toFake: ["Date"] });
    const sent: SentRequest[] = [];
    // The apiVersion option puts a value needing escaping into the query.
    const odd = new CommunicationIdentityClient(
      `endpoint=https://127.0.0.1:47443/;accesskey=${ACCESS_KEY}`,
      {
        httpClient: {
          sendRequest: (r) => (
            sent.push(r),
            Promise.resolve({
              status: 201,
              request: r,
              headers: headersOf({ "content-type": "application/json" }),
              bodyAsText: JSON.stringify({ identity: { id: USER } }),
            })
          ),
        },
        retryOptions: { maxRetries: 0 },
        apiVersion: "2023-10-01 preview:x",
      } as CommunicationIdentityClientOptions,
    );
    await odd.createUser();
    const request = sent[0]!;
    expect(request.url).toMatch(/api-version=2023-10-01(%20| )preview(%3A|:)x/);
    const ours = await signAcsRequest({
      method: "POST",
      url: request.url,
      accessKey: ACCESS_KEY,
      date: FIXED_DATE,
    });
    expect(ours.authorization).toBe(request.headers.get("authorization"));
  });
});

function pick(headers: Awaited<ReturnType<typeof signAcsRequest>>) {
  return {
    "x-ms-date": headers["x-ms-date"],
    "x-ms-content-sha256": headers["x-ms-content-sha256"],
    authorization: headers.authorization,
  };
}
