// The message list as rows: a day separator before each new local day, and messages marked as the
// start of a group (one sender, a few minutes apart, same day) so name and avatar show once per group.
import { dayLabel, localDayNumber, type DayOptions } from "./day-label";

export interface GroupableMessage {
  readonly senderId?: string;
  readonly createdOn: Date;
}

export type MessageRow<M> =
  | { kind: "day"; key: string; label: string; date: Date }
  | { kind: "message"; message: M; startsGroup: boolean };

/** Messages this close to the previous one of the same sender join its group. */
export const GROUP_GAP_MS = 5 * 60_000;

export function messageRows<M extends GroupableMessage>(
  messages: readonly M[],
  now: Date,
  options: DayOptions & { gapMs?: number } = {},
): MessageRow<M>[] {
  const gapMs = options.gapMs ?? GROUP_GAP_MS;
  const rows: MessageRow<M>[] = [];
  let previous: M | undefined;
  let previousDay: number | undefined;
  for (const message of messages) {
    const day = localDayNumber(message.createdOn, options);
    const newDay = day !== previousDay;
    if (newDay) {
      rows.push({
        kind: "day",
        key: `day:${day}`,
        label: dayLabel(message.createdOn, now, options),
        date: message.createdOn,
      });
    }
    const joins =
      !newDay &&
      previous !== undefined &&
      previous.senderId !== undefined &&
      previous.senderId === message.senderId &&
      message.createdOn.getTime() - previous.createdOn.getTime() <= gapMs;
    rows.push({ kind: "message", message, startsGroup: !joins });
    previous = message;
    previousDay = day;
  }
  return rows;
}
