// The small pure units the chat resources share: scope checks, metadata patches, participant resolution.
import { describe, expect, it } from "vitest";
import { AcsHttpError } from "../../src/http/types";
import type { VerifiedUser } from "../../src/modules";
import { authoriseScopes, type ChatAction } from "../../src/chat/resources/access";
import { applyMetadataPatch } from "../../src/chat/resources/metadata-patch";
import { resolveParticipants } from "../../src/chat/resources/resolve-participants";

const userWith = (...scopes: string[]): VerifiedUser => ({
  acsUserId: "8:acs:r_u",
  scopes,
  issuedAt: new Date(0),
  expiresOn: new Date(3_600_000),
});

function verdict(scopes: string[], action: ChatAction): number | "allowed" {
  try {
    authoriseScopes(userWith(...scopes), action);
    return "allowed";
  } catch (error) {
    if (error instanceof AcsHttpError) return error.status;
    throw error;
  }
}

describe("authoriseScopes", () => {
  it("lets 'chat' do everything, 'chat.join' all but thread management, 'chat.join.limited' only read", () => {
    const actions: ChatAction[] = ["read", "manageThread", "manageParticipants"];
    expect(actions.map((a) => verdict(["chat"], a))).toEqual(["allowed", "allowed", "allowed"]);
    expect(actions.map((a) => verdict(["chat.join"], a))).toEqual(["allowed", 403, "allowed"]);
    expect(actions.map((a) => verdict(["chat.join.limited"], a))).toEqual(["allowed", 403, 403]);
    expect(actions.map((a) => verdict(["voip"], a))).toEqual([403, 403, 403]);
    expect(verdict([], "read")).toBe(403);
  });
});

describe("applyMetadataPatch", () => {
  it("keeps metadata without a patch, clears it on null, and merges with null removing a key", () => {
    const current = { a: "1", b: "2" };
    expect(applyMetadataPatch(current, undefined)).toBe(current);
    expect(applyMetadataPatch(current, null)).toEqual({});
    expect(applyMetadataPatch(current, { a: null, c: "3" })).toEqual({ b: "2", c: "3" });
    expect(current).toEqual({ a: "1", b: "2" });
    expect(applyMetadataPatch(undefined, { x: "y" })).toEqual({ x: "y" });
  });
});

describe("resolveParticipants", () => {
  it("keeps existing communication users once and reports the rest ACS-style", () => {
    const known = new Set(["8:acs:r_a"]);
    const { valid, invalid } = resolveParticipants(
      [
        { communicationIdentifier: { communicationUser: { id: "8:acs:r_a" } }, displayName: "A" },
        {
          communicationIdentifier: { rawId: "8:acs:r_a" },
          shareHistoryTime: "2026-01-01T00:00:00Z",
        },
        { communicationIdentifier: { rawId: "8:acs:r_gone" } },
        { communicationIdentifier: { rawId: "4:+15550100", phoneNumber: { value: "+15550100" } } },
      ],
      (id) => known.has(id),
    );
    expect(valid).toEqual([{ id: "8:acs:r_a", shareHistoryTime: "2026-01-01T00:00:00.000Z" }]);
    expect(invalid).toEqual([
      {
        code: "NotFound",
        message: "The identity '8:acs:r_gone' does not exist.",
        target: "8:acs:r_gone",
      },
      {
        code: "BadRequest",
        message: "Only communication users can join emulated chat threads.",
        target: "4:+15550100",
      },
    ]);
  });
});
