// Presence states: what acs.presence.set accepts and acs.presence.watch reports.

export const PRESENCE_STATES = ["online", "away", "busy", "offline"] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];
