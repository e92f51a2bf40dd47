// A thread's messages with each sender named as the participant list names them (never the name
// the sender chose), cached so a snapshot keeps the same objects while nothing changed: each named
// message is reused while its name is unchanged, and the whole list while neither the messages nor
// the participants changed (the thread replaces its participant map on every change).
import { senderNameOf } from "./mapping";
import type { ChatMessageView, ParticipantView } from "./types";

export class SenderNames {
  private readonly named = new WeakMap<ChatMessageView, ChatMessageView>();
  private lastList:
    | {
        source: readonly ChatMessageView[];
        participants: ReadonlyMap<string, ParticipantView>;
        messages: readonly ChatMessageView[];
      }
    | undefined;

  constructor(private readonly self: { acsUserId: string; displayName: string }) {}

  /** The participant list's name for a sender, never the name the sender chose. */
  nameOf(senderId: string | undefined, participants: ReadonlyMap<string, ParticipantView>): string {
    return senderNameOf(senderId, participants, this.self);
  }

  withName(
    message: ChatMessageView,
    participants: ReadonlyMap<string, ParticipantView>,
  ): ChatMessageView {
    const senderName = this.nameOf(message.senderId, participants);
    const cached = this.named.get(message);
    if (cached?.senderName === senderName) return cached;
    const view = { ...message, senderName };
    this.named.set(message, view);
    return view;
  }

  /** The store's list (same array while unchanged) with every sender named. */
  nameAll(
    list: readonly ChatMessageView[],
    participants: ReadonlyMap<string, ParticipantView>,
  ): readonly ChatMessageView[] {
    if (this.lastList?.source === list && this.lastList.participants === participants) {
      return this.lastList.messages;
    }
    const messages = list.map((m) => this.withName(m, participants));
    this.lastList = { source: list, participants, messages };
    return messages;
  }
}
