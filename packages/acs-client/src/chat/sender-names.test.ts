import { expect, it } from "vitest";
import { UNKNOWN_PARTICIPANT_NAME } from "./mapping";
import { SenderNames } from "./sender-names";
import type { ChatMessageView, ParticipantView } from "./types";

const SELF = { acsUserId: "8:acs:r_me", displayName: "Me" };

function message(id: string, senderId: string): ChatMessageView {
  return {
    id,
    type: "text",
    content: id,
    senderId,
    senderName: UNKNOWN_PARTICIPANT_NAME,
    senderDisplayName: "Claimed Name",
    createdOn: new Date(Number(id)),
    metadata: {},
    mine: senderId === SELF.acsUserId,
    status: "sent",
    readBy: [],
  };
}

it("names senders from the participant list and keeps the same objects while nothing changed", () => {
  const names = new SenderNames(SELF);
  const list = [message("1", "8:acs:r_ada"), message("2", SELF.acsUserId), message("3", "x")];
  const participants = new Map<string, ParticipantView>([
    ["8:acs:r_ada", { acsUserId: "8:acs:r_ada", displayName: "Ada" }],
  ]);
  const first = names.nameAll(list, participants);
  expect(first.map((m) => m.senderName)).toEqual(["Ada", "Me", UNKNOWN_PARTICIPANT_NAME]);
  expect(names.nameAll(list, participants)).toBe(first);

  // A new participant map (a rename): the list is rebuilt, unchanged names keep their objects.
  const renamed = new Map(participants);
  renamed.set("8:acs:r_ada", { acsUserId: "8:acs:r_ada", displayName: "Ada L." });
  const second = names.nameAll(list, renamed);
  expect(second).not.toBe(first);
  expect(second[0]!.senderName).toBe("Ada L.");
  expect(second[1]).toBe(first[1]);
});
