// What every chat resource's handlers share: the caller's access checks, the journal-then-apply
// commit of a change, event publishing and the allocation of system messages.
import type { ChatDeps } from "../../modules";
import type { ChatEventKind, EventHub } from "../events";
import type { MessageState } from "../model";
import { chatRecord, type ChatRecordMap, type ChatRecordType, type ChatState } from "../state";
import { createChatAccess, type ChatAccess } from "./access";

export interface ChatRouteContext extends ChatAccess {
  readonly deps: ChatDeps;
  readonly state: ChatState;
  /** Appends the change to the journal (durable) and only then applies it to the state. */
  commit<K extends ChatRecordType>(type: K, at: Date, data: ChatRecordMap[K]): Promise<void>;
  publish(
    kind: ChatEventKind,
    threadId: string,
    audience: Iterable<string>,
    data: Record<string, unknown>,
  ): void;
  /** A new system message (participantAdded, topicUpdated, …) with a freshly allocated id. */
  systemMessage(
    sequenceId: number,
    type: MessageState["type"],
    now: Date,
    content: MessageState["content"],
  ): MessageState;
}

export function createChatRouteContext(
  deps: ChatDeps,
  state: ChatState,
  hub: EventHub,
): ChatRouteContext {
  return {
    ...createChatAccess(deps, state),
    deps,
    state,
    async commit(type, at, data) {
      const record = chatRecord(type, at, data);
      await deps.journal.append(record);
      state.apply(record);
    },
    publish(kind, threadId, audience, data) {
      hub.publish(kind, threadId, audience, data);
    },
    systemMessage(sequenceId, type, now, content) {
      const id = state.allocateId(now);
      return { id, type, sequenceId, version: id, createdOn: now.toISOString(), content };
    },
  };
}
