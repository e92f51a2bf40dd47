// Any page can make a browser open the authorize endpoint (an <img>, a redirect), and each opening
// leaves a pending sign-in for 10 minutes: the emulator keeps a bounded number of them (and of codes
// and refresh tokens), dropping the oldest, so a hostile page cannot fill its memory.
import { describe, expect, it } from "vitest";

import { createSignInGrants } from "../../src/entra/authorization-codes";
import { createAuthorizeEndpoint } from "../../src/entra/authorize";
import { createEntraUserDirectory } from "../../src/entra/users";
import type { EmulatorRequest, EmulatorResponse } from "../../src/http/types";
import { flowOf } from "./sign-in-client";

const TENANT = "00000000-0000-0000-0000-00000000e417";
const HOST = "127.0.0.1:45443";
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const user = {
  objectId: "o",
  tenantId: TENANT,
  userPrincipalName: "a@b.example",
  displayName: "A",
};

function request(method: string, target: string, body = ""): EmulatorRequest {
  return {
    method,
    url: new URL(target, `https://${HOST}`),
    rawTarget: target,
    headers: { host: HOST, origin: `https://${HOST}` },
    body: Buffer.from(body),
    scheme: "https",
  };
}

const html = (response: EmulatorResponse) => ("html" in response ? response.html : "");

describe("bounded sign-in state", () => {
  it("keeps at most maxPendingSignIns pending sign-ins, dropping the oldest", () => {
    const authorize = createAuthorizeEndpoint({
      principals: [
        { tenantId: TENANT, clientId: "app", clientSecret: "s", grantedAcsAccess: false },
      ],
      users: createEntraUserDirectory(
        [{ userPrincipalName: "a@b.example", password: "pw" }],
        TENANT,
      ),
      grants: createSignInGrants(() => new Date()),
      redirectUris: [],
      now: () => new Date(),
      log: silent,
      maxPendingSignIns: 3,
    });
    const query = new URLSearchParams({
      client_id: "app",
      redirect_uri: "http://localhost:3000/cb",
      response_type: "code",
      scope: "openid",
    });
    const flows = Array.from({ length: 4 }, () =>
      flowOf(
        html(
          authorize.handle(
            request("GET", `/${TENANT}/oauth2/v2.0/authorize?${query.toString()}`),
            TENANT,
          ),
        ),
      ),
    );
    const submit = (flow: string) =>
      authorize.handle(
        request(
          "POST",
          `/${TENANT}/oauth2/v2.0/authorize`,
          new URLSearchParams({ flow, username: "a@b.example", password: "pw" }).toString(),
        ),
        TENANT,
      );
    expect(html(submit(flows[0] ?? ""))).toContain("expired or is unknown");
    for (const flow of flows.slice(1)) expect(submit(flow).status).toBe(302);
  });

  it("keeps at most limits.codes codes and limits.refreshTokens refresh tokens", () => {
    const grants = createSignInGrants(() => new Date(), {
      pendingSignIns: 1,
      codes: 2,
      refreshTokens: 2,
    });
    const grant = {
      clientId: "app",
      redirectUri: "http://localhost/cb",
      tenantId: TENANT,
      user,
      scope: "openid",
    };
    const codes = [grants.newCode(grant), grants.newCode(grant), grants.newCode(grant)];
    expect(codes.map((code) => grants.redeemCode(code).kind)).toEqual(["unknown", "ok", "ok"]);
    const refresh = { clientId: "app", tenantId: TENANT, user, scope: "openid offline_access" };
    const tokens = [
      grants.newRefreshToken(refresh),
      grants.newRefreshToken(refresh),
      grants.newRefreshToken(refresh),
    ];
    expect(tokens.map((token) => grants.refresh(token) !== undefined)).toEqual([false, true, true]);
  });
});
