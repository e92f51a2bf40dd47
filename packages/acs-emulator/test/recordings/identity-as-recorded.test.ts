// The Identity API answers as real ACS was recorded answering the official SDK
// (../shared/acs-recordings/identity-1.3.0): each test names the recording (folder/file #entry).
import type { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { captureAnswers, errorOf, type AnswerCapture } from "./capture";
import {
  FOREIGN_USER_ID,
  teamsEntraOptions,
  teamsExchangeBody,
  teamsTokenSource,
  type TeamsTokenSource,
} from "./replay";

let emulator: TestEmulator;
let capture: AnswerCapture;
let client: CommunicationIdentityClient;
let teamsToken: TeamsTokenSource;

beforeAll(async () => {
  emulator = await startTestEmulator({
    entra: teamsEntraOptions("7d3c2a10-3b8e-4b59-9a51-0c2f5f1e7a11"),
  });
  teamsToken = teamsTokenSource(emulator);
  capture = captureAnswers();
  client = emulator.identityClient({ policies: [capture.policy] });
});
afterAll(async () => {
  await emulator.close();
});

const foreignUser = { communicationUserId: FOREIGN_USER_ID };
const NOT_OWNED = {
  code: "IdentityNotOwned",
  message: "Provided identity doesn't belong to the resource.",
};

describe("an identity of another resource → 401 IdentityNotOwned", () => {
  it.each([
    [
      "getToken",
      "…_error_cases_/recording_throws_an_error_when_attempting_to_issue_a_token_for_an_invalid_user.json #0",
      () => client.getToken(foreignUser, ["chat", "voip"]),
    ],
    [
      "revokeTokens",
      "…_error_cases_/recording_throws_an_error_when_attempting_to_revoke_a_token_from_an_invalid_user.json #0",
      () => client.revokeTokens(foreignUser),
    ],
    [
      "deleteUser",
      "…_error_cases_/recording_throws_an_error_when_attempting_to_delete_an_invalid_user.json #0",
      () => client.deleteUser(foreignUser),
    ],
  ])("%s (communicationidentityclient_playbacklive%s)", async (_op, _recording, call) => {
    await expect(call()).rejects.toMatchObject({ statusCode: 401, ...NOT_OWNED });
    expect(errorOf(capture.last())).toEqual(NOT_OWNED);
    expect(capture.last().headers["content-type"]).toBe("application/json");
  });

  it("an unknown identity of this resource stays 404 IdentityNotFound (not recorded; the emulator's own)", async () => {
    const ghost = {
      communicationUserId: `8:acs:${emulator.resourceId}_00000000-0000-0000-0000-000000000000`,
    };
    await expect(client.getToken(ghost, ["chat"])).rejects.toMatchObject({
      statusCode: 404,
      code: "IdentityNotFound",
    });
  });
});

describe("validation errors carry ACS's message and target", () => {
  it("empty scopes (communicationidentityclient_playbacklive_error_cases_/recording_throws_an_error_when_attempting_to_issue_a_token_without_any_scopes.json #1)", async () => {
    const user = await client.createUser();
    await expect(client.getToken(user, [])).rejects.toMatchObject({
      statusCode: 400,
      code: "ValidationError",
      message: "Invalid scopes - Scopes field is required.",
    });
    expect(errorOf(capture.last())).toEqual({
      code: "ValidationError",
      message: "Invalid scopes - Scopes field is required.",
      target: "scopes",
    });
  });

  it.each([
    [
      59,
      "getToken",
      "recording_throws_error_when_attempting_to_issue_an_invalid_expiration_token_ltlo_invalgt.json #1",
    ],
    [
      1441,
      "getToken",
      "recording_throws_error_when_attempting_to_issue_an_invalid_expiration_token_lthi_invalgt.json #1",
    ],
    [
      59,
      "createUserAndToken",
      "recording_throws_error_when_attempting_to_issue_user_and_invalid_expiration_token_ltlo_invalgt.json #0",
    ],
    [
      1441,
      "createUserAndToken",
      "recording_throws_error_when_attempting_to_issue_user_and_invalid_expiration_token_lthi_invalgt.json #0",
    ],
  ] as const)(
    "expiresInMinutes %i on %s (get_token_with_custom_expiration_playbacklive/%s)",
    async (minutes, operation, _recording) => {
      const options = { tokenExpiresInMinutes: minutes };
      const call =
        operation === "getToken"
          ? async () => client.getToken(await client.createUser(), ["chat"], options)
          : () => client.createUserAndToken(["chat"], options);
      const message = `ExpiresInMinutes value ${minutes} is invalid. Value must be within the [60, 1440] interval.`;
      await expect(call()).rejects.toMatchObject({
        statusCode: 400,
        code: "ValidationError",
        message,
      });
      expect(errorOf(capture.last())).toEqual({
        code: "ValidationError",
        message,
        target: "ExpiresInMinutes",
      });
    },
  );
});

describe("answers carry ACS's headers and formats", () => {
  it("createUser: 201 without Location, with the Identity API's headers (communicationidentityclient_playbacklive/recording_successfully_creates_a_user.json #0)", async () => {
    await client.createUser();
    const { status, headers } = capture.last();
    expect(status).toBe(201);
    expect(headers.location).toBeUndefined();
    expect(headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(headers["api-supported-versions"]?.split(", ")).toContain("2023-10-01");
    expect(headers["ms-cv"]).toMatch(/^[A-Za-z0-9+/]{22}\.0$/);
    expect(headers["strict-transport-security"]).toBe("max-age=2592000");
    expect(headers["x-processing-time"]).toMatch(/^\d+ms$/);
    expect(headers["request-context"]).toBe("appId=");
    // The SDK sends a fresh x-ms-client-request-id; ACS repeats it.
    expect(headers["x-ms-client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("every answer has its own MS-CV", async () => {
    await client.createUser();
    const first = capture.last().headers["ms-cv"];
    await client.createUser();
    expect(capture.last().headers["ms-cv"]).not.toBe(first);
  });

  it("expiresOn is written the .NET way, +00:00 (get_token_with_custom_expiration_playbacklive/recording_successfully_gets_a_valid_custom_expiration_token_ltmax_validgt.json #1)", async () => {
    const { user, expiresOn } = await client.createUserAndToken(["chat"]);
    const created = JSON.parse(capture.last().body ?? "{}") as {
      accessToken: { expiresOn: string };
    };
    expect(created.accessToken.expiresOn).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?\+00:00$/,
    );
    expect(Date.parse(created.accessToken.expiresOn)).toBe(expiresOn.getTime());
    await client.getToken(user, ["chat"], { tokenExpiresInMinutes: 1440 });
    const issued = JSON.parse(capture.last().body ?? "{}") as { expiresOn: string };
    expect(issued.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?\+00:00$/);
  });

  it("revokeTokens and deleteUser answer 204 without a body or Content-Length (…/recording_successfully_revokes_tokens_issued_for_a_user.json #1, …deletes_a_user.json #1)", async () => {
    const user = await client.createUser();
    await client.revokeTokens(user);
    expect(capture.last().status).toBe(204);
    expect(capture.last().headers["content-length"]).toBeUndefined();
    await client.deleteUser(user);
    expect(capture.last().status).toBe(204);
    expect(capture.last().headers["content-length"]).toBeUndefined();
  });
});

describe("Teams token exchange errors (get_token_for_teams_user_playbacklive/…)", () => {
  const cases = [
    [
      "ltan_empty_teamsuseraadtokengt",
      401,
      { code: "InvalidAccessToken", message: "Provided access token is not valid." },
      false,
    ],
    [
      "ltan_invalid_teamsuseraadtokengt",
      401,
      { code: "InvalidAccessToken", message: "Provided access token is not valid." },
      false,
    ],
    [
      "ltan_expired_teamsuseraadtokengt",
      401,
      { code: "InvalidAccessToken", message: "Provided access token is not valid." },
      false,
    ],
    [
      "ltan_empty_clientidgt",
      400,
      { code: "ValidationError", message: "AppId: The AppId field is required.", target: "AppId" },
      false,
    ],
    [
      "ltan_invalid_clientidgt",
      400,
      { code: "ValidationError", message: "Provided AppId has invalid format.", target: "appId" },
      true,
    ],
    [
      "lta_wrong_clientidgt",
      400,
      { code: "ValidationError", message: "Provided AppId has invalid format.", target: "appId" },
      true,
    ],
    [
      "ltan_empty_userobjectidgt",
      400,
      {
        code: "ValidationError",
        message: "UserId: The UserId field is required.",
        target: "UserId",
      },
      false,
    ],
    [
      "ltan_invalid_userobjectidgt",
      400,
      { code: "ValidationError", message: "Provided UserId has invalid format.", target: "userId" },
      true,
    ],
    [
      "lta_wrong_userobjectidgt",
      400,
      { code: "ValidationError", message: "Provided UserId has invalid format.", target: "userId" },
      true,
    ],
  ] as const;

  it.each(cases)(
    "recording_throws_an_error_when_attempting_to_exchange_%s.json #0 → %i",
    async (name, status, error, versioned) => {
      const body = await teamsExchangeBody(`recording_${name}.json`, teamsToken);
      await expect(
        client.getTokenForTeamsUser({
          teamsUserAadToken: body.token ?? "",
          clientId: body.appId ?? "",
          userObjectId: body.userId ?? "",
        }),
      ).rejects.toMatchObject({ statusCode: status, code: error.code, message: error.message });
      expect(errorOf(capture.last())).toEqual(error);
      // Model validation and the token check run before ACS's versioned API: no api-supported-versions.
      expect("api-supported-versions" in capture.last().headers).toBe(versioned);
    },
  );

  it("a valid exchange answers 200 {token, expiresOn} (recording_successfully_exchanges_a_teams_user_aad_token_for_a_communication_access_token.json #0)", async () => {
    const body = await teamsExchangeBody("recording_successfully_exchanges.json", teamsToken);
    const token = await client.getTokenForTeamsUser({
      teamsUserAadToken: body.token ?? "",
      clientId: body.appId ?? "",
      userObjectId: body.userId ?? "",
    });
    expect(token.expiresOn).toBeInstanceOf(Date);
    expect(Object.keys(JSON.parse(capture.last().body ?? "{}") as object).sort()).toEqual([
      "expiresOn",
      "token",
    ]);
  });
});
