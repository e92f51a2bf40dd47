// Test support for the control-plane suites: an emulator with a local Entra ID (principals with and
// without the ACS grant), and a fetch that trusts the emulator's local CA (Node's global fetch only
// trusts NODE_EXTRA_CA_CERTS read at process start; the Edge runtime would trust a real certificate).
import { request as httpsRequest } from "node:https";

import type { EntraOptions, RunningEmulator } from "@acs-stack/acs-emulator";
import { startEmulator } from "@acs-stack/acs-emulator";

export const TENANT_ID = "7d3c1f2a-0000-4000-8000-00000000a11e";
export const GRANTED_APP = { clientId: "acs-stack-server", clientSecret: "granted-secret-Q7w" };
export const UNGRANTED_APP = {
  clientId: "no-role-assignment-app",
  clientSecret: "ungranted-secret-Z1x",
};
export const USER_ASSIGNED_MI = "user-assigned-mi-client";
export const UNGRANTED_MI = "user-assigned-mi-without-grant";
export const IDENTITY_HEADER = "test-identity-header-9f2c";

export const ENTRA: EntraOptions = {
  principals: [
    { tenantId: TENANT_ID, ...GRANTED_APP, grantedAcsAccess: true },
    { tenantId: TENANT_ID, ...UNGRANTED_APP, grantedAcsAccess: false },
  ],
  managedIdentities: [
    { grantedAcsAccess: true },
    { clientId: USER_ASSIGNED_MI, grantedAcsAccess: true },
    { clientId: UNGRANTED_MI, grantedAcsAccess: false },
  ],
  identityHeader: IDENTITY_HEADER,
};

export function startEntraEmulator(): Promise<RunningEmulator> {
  return startEmulator({
    host: "127.0.0.1",
    port: 0,
    inMemory: true,
    logLevel: "silent",
    entra: ENTRA,
  });
}

export function accessKeyOf(connectionString: string): string {
  const key = /;accesskey=(.*)$/i.exec(connectionString)?.[1];
  if (!key) throw new Error("connection string without accesskey");
  return key;
}

/** A WHATWG fetch over node:https that trusts `ca` (for the hmac-rest client against the emulator's HTTPS side). */
export function fetchTrusting(ca: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const url = new URL(request.url);
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpsRequest(
        url,
        {
          method: request.method,
          headers: {
            ...Object.fromEntries(request.headers),
            ...(body ? { "content-length": String(body.length) } : {}),
          },
          ca,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("error", reject);
          incoming.on("end", () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (typeof value === "string") headers.set(name, value);
            }
            const status = incoming.statusCode ?? 500;
            const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(payload, { status, headers }));
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  };
}
