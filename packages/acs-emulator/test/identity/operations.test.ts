// Which Identity API operation a method + path is, and the date format of issued tokens' expiresOn.
import { describe, expect, it } from "vitest";
import type { EmulatorRequest } from "../../src/http/types";
import { AcsHttpError } from "../../src/http/types";
import { acsDateTime } from "../../src/identity/acs-date-time";
import { matchOperation } from "../../src/identity/operations";

function request(method: string, path: string): EmulatorRequest {
  return {
    method,
    url: new URL(`https://127.0.0.1:4443${path}?api-version=2023-10-01`),
    rawTarget: `${path}?api-version=2023-10-01`,
    headers: {},
    body: Buffer.alloc(0),
    scheme: "https",
  };
}

function statusOf(method: string, path: string): number | undefined {
  try {
    matchOperation(request(method, path));
    return undefined;
  } catch (error) {
    if (error instanceof AcsHttpError) return error.status;
    throw error;
  }
}

describe("matchOperation", () => {
  it("maps the five operations, decoding the identity id", () => {
    const id = "8:acs:r_x";
    const encoded = encodeURIComponent(id);
    expect(matchOperation(request("POST", "/identities"))).toEqual({ kind: "create" });
    expect(matchOperation(request("DELETE", `/identities/${encoded}`))).toEqual({
      kind: "delete",
      id,
    });
    expect(matchOperation(request("POST", `/identities/${encoded}/:issueAccessToken`))).toEqual({
      kind: "issue",
      id,
    });
    expect(matchOperation(request("POST", `/identities/${encoded}/:revokeAccessTokens`))).toEqual({
      kind: "revoke",
      id,
    });
    expect(matchOperation(request("POST", "/teamsUser/:exchangeAccessToken"))).toEqual({
      kind: "exchange",
    });
  });

  it("answers 405 for a wrong method, 400 for a malformed segment, and leaves other paths alone", () => {
    expect(statusOf("GET", "/identities")).toBe(405);
    expect(statusOf("GET", "/identities/8%3Aacs%3Ar_x/:issueAccessToken")).toBe(405);
    expect(statusOf("DELETE", "/identities/%E0%A4%A")).toBe(400);
    expect(matchOperation(request("POST", "/identities/x/:unknown"))).toBeUndefined();
    expect(matchOperation(request("POST", "/identities/x/:issueAccessToken/more"))).toBeUndefined();
    expect(matchOperation(request("GET", "/chat/threads"))).toBeUndefined();
  });
});

describe("acsDateTime", () => {
  it("writes UTC as +00:00 without trailing fraction zeros", () => {
    expect(acsDateTime(new Date("2023-10-19T15:34:47.930Z"))).toBe("2023-10-19T15:34:47.93+00:00");
    expect(acsDateTime(new Date("2023-10-19T15:34:47.000Z"))).toBe("2023-10-19T15:34:47+00:00");
  });
});
