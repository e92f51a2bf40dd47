// Attacks a web page can make on an emulator running on the developer's machine: DNS rebinding
// (a foreign `Host` reaching 127.0.0.1) and cross-origin reads (CORS), aimed at the access key that
// `/emulator/info` hands out. Real HTTP and HTTPS on the emulator's port, headers as browsers send them.
import http from "node:http";
import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request to 127.0.0.1:<port> with exactly these headers (Host included), over HTTP or HTTPS. */
function send(
  emulator: TestEmulator,
  options: {
    path: string;
    method?: string;
    headers?: Record<string, string>;
    tls?: boolean;
    body?: string;
  },
): Promise<RawResponse> {
  const request = options.tls ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: emulator.port,
        path: options.path,
        method: options.method ?? "GET",
        headers: { host: `127.0.0.1:${emulator.port}`, ...options.headers },
        ...(options.tls && { ca: emulator.caCertPem, servername: "localhost" }),
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const accessKeyOf = (emulator: TestEmulator) => emulator.connectionString.split("accesskey=")[1]!;

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const ROUTES = [
  { method: "GET", path: "/emulator/info" },
  { method: "POST", path: "/identities?api-version=2023-10-01" },
  { method: "GET", path: "/chat/threads?api-version=2025-03-15" },
  { method: "GET", path: "/emulator/chat/events" },
  { method: "OPTIONS", path: "/emulator/info" },
];

describe("Host header (DNS rebinding)", () => {
  for (const tls of [false, true]) {
    it(`refuses a foreign Host on every route with 421 and an ACS error (${tls ? "HTTPS" : "HTTP"})`, async () => {
      for (const route of ROUTES) {
        const response = await send(emulator, {
          ...route,
          tls,
          headers: {
            host: `evil.example:${emulator.port}`,
            ...(route.method === "OPTIONS" && { "access-control-request-method": "GET" }),
          },
        });
        expect(response.status, `${route.method} ${route.path}`).toBe(421);
        expect(JSON.parse(response.body)).toEqual({
          error: {
            code: "HostNotAllowed",
            message: expect.stringContaining("evil.example") as unknown,
          },
        });
        expect(response.body).not.toContain(accessKeyOf(emulator));
        expect(response.headers["access-control-allow-origin"]).toBeUndefined();
      }
    });
  }

  it("refuses names that merely contain an allowed one; a malformed or missing Host is a 400", async () => {
    for (const host of [
      `localhost.evil.example:${emulator.port}`,
      `127.0.0.1.nip.io:${emulator.port}`,
      "evil.example",
    ]) {
      const response = await send(emulator, { path: "/emulator/info", headers: { host } });
      expect(response.status, host).toBe(421);
    }
    const malformed = await send(emulator, {
      path: "/emulator/info",
      headers: { host: `evil.example:${emulator.port}@127.0.0.1` },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).not.toContain(accessKeyOf(emulator));
    const noHost = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: emulator.port, path: "/emulator/info", agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.removeHeader("host");
      req.on("error", reject);
      req.end();
    });
    expect(noHost).toBe(400);
  });

  it("accepts localhost and loopback addresses, with or without a port", async () => {
    for (const host of [
      `localhost:${emulator.port}`,
      "LocalHost",
      `127.0.0.1:${emulator.port}`,
      "127.0.0.1",
      `127.1.2.3:${emulator.port}`,
      `[::1]:${emulator.port}`,
    ]) {
      const response = await send(emulator, { path: "/emulator/info", headers: { host } });
      expect(response.status, host).toBe(200);
    }
  });

  it("accepts the names given in allowedHosts, and still refuses others", async () => {
    const named = await startTestEmulator({ allowedHosts: ["acs.devbox.test"] });
    try {
      const ok = await send(named, {
        path: "/emulator/info",
        headers: { host: `acs.devbox.test:${named.port}` },
      });
      expect(ok.status).toBe(200);
      const foreign = await send(named, {
        path: "/emulator/info",
        headers: { host: `evil.example:${named.port}` },
      });
      expect(foreign.status).toBe(421);
    } finally {
      await named.close();
    }
  });
});

describe("CORS", () => {
  const FOREIGN = [
    "https://evil.example",
    "http://localhost.evil.example:3000",
    "http://127.0.0.1.nip.io:3000",
    "null",
  ];

  it("never reflects a foreign Origin: the request is refused with 403 and no CORS headers", async () => {
    for (const origin of FOREIGN) {
      const response = await send(emulator, { path: "/emulator/info", headers: { origin } });
      expect(response.status, origin).toBe(403);
      expect(response.headers["access-control-allow-origin"], origin).toBeUndefined();
      expect(JSON.parse(response.body)).toEqual({
        error: { code: "OriginNotAllowed", message: expect.any(String) as unknown },
      });
      expect(response.body).not.toContain(accessKeyOf(emulator));
    }
  });

  it("refuses a preflight from a foreign Origin", async () => {
    const response = await send(emulator, {
      method: "OPTIONS",
      path: "/chat/threads?api-version=2025-03-15",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(response.status).toBe(403);
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    expect(response.headers["access-control-allow-methods"]).toBeUndefined();
    expect(response.headers["access-control-allow-headers"]).toBeUndefined();
  });

  it("allows pages on localhost, 127.0.0.1 and [::1], any port, http and https", async () => {
    for (const origin of [
      "http://localhost:3000",
      "http://127.0.0.1:5173",
      "https://localhost:8443",
      "http://[::1]:3000",
      "http://localhost",
    ]) {
      const preflight = await send(emulator, {
        method: "OPTIONS",
        path: "/chat/threads?api-version=2025-03-15",
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(preflight.status, origin).toBe(204);
      expect(preflight.headers["access-control-allow-origin"]).toBe(origin);
      // As a browser sends it: a page on another port or name of this machine is cross-site.
      const info = await send(emulator, {
        path: "/emulator/info",
        headers: { origin, "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" },
      });
      expect(info.status).toBe(200);
      expect(info.headers["access-control-allow-origin"]).toBe(origin);
      expect(info.headers.vary).toContain("Origin");
      expect(JSON.parse(info.body)).toMatchObject({
        connectionString: emulator.connectionString,
      });
    }
  });

  it("corsOrigins replaces the defaults (exact origins and a port wildcard)", async () => {
    const own = await startTestEmulator({
      corsOrigins: ["https://app.devbox.test", "http://tools.devbox.test:*"],
    });
    try {
      const check = async (origin: string) =>
        (await send(own, { path: "/emulator/info", headers: { origin } })).headers[
          "access-control-allow-origin"
        ];
      expect(await check("https://app.devbox.test")).toBe("https://app.devbox.test");
      expect(await check("http://tools.devbox.test:9000")).toBe("http://tools.devbox.test:9000");
      expect(await check("https://app.devbox.test:8443")).toBeUndefined();
      expect(await check("http://app.devbox.test")).toBeUndefined();
      expect(await check("http://localhost:3000")).toBeUndefined();
    } finally {
      await own.close();
    }
  });

  it("refuses an invalid corsOrigins entry at start", async () => {
    await expect(startTestEmulator({ corsOrigins: ["localhost:3000"] })).rejects.toThrow(
      /localhost:3000/,
    );
  });
});

describe("GET /emulator/info", () => {
  it("gives a same-machine client without Origin (a Node process) the connection string", async () => {
    for (const tls of [false, true]) {
      const response = await send(emulator, { path: "/emulator/info", tls });
      expect(JSON.parse(response.body)).toMatchObject({
        connectionString: emulator.connectionString,
      });
    }
  });

  it("leaves the key out for a browser's cross-site request without Origin", async () => {
    const response = await send(emulator, {
      path: "/emulator/info",
      headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
    });
    expect(response.status).toBe(200);
    expect(response.body).not.toContain(accessKeyOf(emulator));
    const info = JSON.parse(response.body) as Record<string, unknown>;
    expect(info).not.toHaveProperty("connectionString");
    expect(info).toMatchObject({ endpoint: emulator.endpoint, caCertPem: emulator.caCertPem });
  });

  it("gives it to the developer's own browser tab (Sec-Fetch-Site: none)", async () => {
    const response = await send(emulator, {
      path: "/emulator/info",
      headers: { "sec-fetch-site": "none", "sec-fetch-mode": "navigate" },
    });
    expect(JSON.parse(response.body)).toMatchObject({
      connectionString: emulator.connectionString,
    });
  });
});
