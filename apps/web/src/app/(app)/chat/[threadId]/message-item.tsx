"use client";
// One message of the thread: sender (at the start of a group), text or its edit form, time,
// delivery state, and the sender's own actions (Retry a failed send; Edit, Delete a sent one).
import type { ChatMessageView } from "@acs-stack/acs-client/react";
import { fullDateTime, shortTime } from "~/lib/day-label";
import { Avatar } from "./avatar";
import { MessageText } from "./message-text";

export interface MessageActions {
  retry(clientMessageId: string): void;
  /** Saves an edit (the content is trimmed and not empty). */
  edit(messageId: string, content: string): void;
  delete(messageId: string): void;
}

/** The edit under way in the list: at most one message at a time. */
export interface Editing {
  readonly id: string;
  readonly content: string;
}

function deliveryState(message: ChatMessageView): string {
  if (message.status === "pending") return "Sending…";
  if (message.status === "failed") return "Not sent";
  return message.readBy.length > 0 ? "Read" : "Sent";
}

export function MessageItem({
  message,
  startsGroup,
  editing,
  setEditing,
  actions,
}: {
  message: ChatMessageView;
  startsGroup: boolean;
  editing: Editing | null;
  setEditing: (editing: Editing | null) => void;
  actions: MessageActions;
}) {
  const name = message.mine ? "You" : message.senderName;
  const isEditing = editing?.id === message.id;
  return (
    <li
      className={`message${message.mine ? " mine" : ""}${startsGroup ? " group-start" : ""}`}
      data-status={message.status}
    >
      {startsGroup && !message.mine ? (
        <div className="message-sender">
          <Avatar acsUserId={message.senderId} name={name} />
          <strong data-testid="sender">{name}</strong>
        </div>
      ) : (
        <span className="visually-hidden">{name}: </span>
      )}
      <div className="message-bubble">
        {message.deletedOn ? (
          <p className="message-text muted">
            <em>Message deleted</em>
          </p>
        ) : editing && isEditing ? (
          <form
            className="message-edit"
            onSubmit={(e) => {
              e.preventDefault();
              const content = editing.content.trim();
              setEditing(null);
              if (content) actions.edit(message.id, content);
            }}
          >
            <label>
              Edit message
              <textarea
                value={editing.content}
                onChange={(e) => setEditing({ id: message.id, content: e.target.value })}
              />
            </label>
            <div className="message-actions">
              <button type="submit">Save</button>
              <button type="button" className="secondary" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <MessageText content={message.content} type={message.type} />
        )}
        <div className="meta">
          <time dateTime={message.createdOn.toISOString()} title={fullDateTime(message.createdOn)}>
            {shortTime(message.createdOn)}
          </time>
          {message.editedOn && !message.deletedOn && <span>(edited)</span>}
          {message.mine && !message.deletedOn && (
            <span data-testid="delivery">{deliveryState(message)}</span>
          )}
        </div>
      </div>
      {message.mine && message.status === "failed" && message.clientMessageId && (
        <div className="message-actions">
          <button
            type="button"
            className="secondary"
            onClick={() => actions.retry(message.clientMessageId!)}
          >
            Retry
          </button>
        </div>
      )}
      {message.mine && message.status === "sent" && !message.deletedOn && !isEditing && (
        <div className="message-actions">
          <button
            type="button"
            className="secondary"
            aria-label={`Edit message: ${message.content.slice(0, 40)}`}
            onClick={() => setEditing({ id: message.id, content: message.content })}
          >
            Edit
          </button>
          <button
            type="button"
            className="secondary"
            aria-label={`Delete message: ${message.content.slice(0, 40)}`}
            onClick={() => actions.delete(message.id)}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}
