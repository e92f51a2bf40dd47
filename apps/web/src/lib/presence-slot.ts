/** The header element the client-side status picker is portalled into (kept out of the "use client" module so the server header does not pull it into every page). */
export const HEADER_PRESENCE_SLOT_ID = "header-presence";
