// What a thread reads from the service to catch up, without changing the thread: its history page
// by page (older first), the messages since the newest known one, and the participant list.
import type { ChatThreadClient } from "@azure/communication-chat";
import { messageFromSdk, participantFromSdk } from "./mapping";
import type { ChatMessageView, ParticipantView } from "./types";

/** A thread's history, newest page first, then each older page in turn. */
export class HistoryPages {
  private continuationToken: string | undefined;
  private done = false;

  constructor(
    private readonly selfId: string,
    private readonly pageSize: number,
  ) {}

  /** No older page is left. */
  get exhausted(): boolean {
    return this.done;
  }

  /** The next older page (empty once exhausted). */
  async next(client: ChatThreadClient): Promise<ChatMessageView[]> {
    if (this.done) return [];
    // The SDK records the next page's link in the settings object it is given.
    const settings: { continuationToken?: string } = this.continuationToken
      ? { continuationToken: this.continuationToken }
      : {};
    const page = await client.listMessages({ maxPageSize: this.pageSize }).byPage(settings).next();
    const items = page.done ? [] : page.value;
    this.continuationToken = settings.continuationToken;
    if (!this.continuationToken || items.length === 0) this.done = true;
    return items.map((m) => messageFromSdk(m, this.selfId));
  }
}

/** Messages created since `newest` (all of them without one), with a margin of 2 s. */
export async function readMessagesSince(
  client: ChatThreadClient,
  newest: ChatMessageView | undefined,
  selfId: string,
): Promise<ChatMessageView[]> {
  // A small margin: messages of the same millisecond, and createdOn rounding.
  const startTime = newest ? new Date(newest.createdOn.getTime() - 2_000) : undefined;
  const fetched: ChatMessageView[] = [];
  for await (const message of client.listMessages({
    maxPageSize: 200,
    ...(startTime && { startTime }),
  })) {
    fetched.push(messageFromSdk(message, selfId));
  }
  return fetched;
}

export async function readParticipants(
  client: ChatThreadClient,
): Promise<Map<string, ParticipantView>> {
  const participants = new Map<string, ParticipantView>();
  for await (const p of client.listParticipants()) {
    const view = participantFromSdk(p);
    if (view) participants.set(view.acsUserId, view);
  }
  return participants;
}
