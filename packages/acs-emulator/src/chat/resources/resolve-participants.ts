import type { ParticipantState } from "../model";
import { communicationUserId, type ParticipantInput } from "../requests";

export interface InvalidParticipant {
  code: string;
  message: string;
  target: string;
}

/** Splits requested participants into valid ones (existing communication users) and ACS-style errors. */
export function resolveParticipants(
  inputs: readonly ParticipantInput[],
  identityExists: (acsUserId: string) => boolean,
): { valid: ParticipantState[]; invalid: InvalidParticipant[] } {
  const valid = new Map<string, ParticipantState>();
  const invalid: InvalidParticipant[] = [];
  for (const input of inputs) {
    const id = communicationUserId(input.communicationIdentifier);
    const target =
      input.communicationIdentifier.rawId ??
      input.communicationIdentifier.communicationUser?.id ??
      "";
    if (!id) {
      invalid.push({
        code: "BadRequest",
        message: "Only communication users can join emulated chat threads.",
        target,
      });
    } else if (!identityExists(id)) {
      invalid.push({
        code: "NotFound",
        message: `The identity '${id}' does not exist.`,
        target: id,
      });
    } else {
      valid.set(id, {
        id,
        ...(input.displayName !== undefined && { displayName: input.displayName }),
        ...(input.shareHistoryTime !== undefined && {
          shareHistoryTime: new Date(input.shareHistoryTime).toISOString(),
        }),
        ...(input.metadata !== undefined && { metadata: input.metadata }),
      });
    }
  }
  return { valid: [...valid.values()], invalid };
}
