/** The signed-in app user handed to the tRPC context by the host app (`app_users.id`). */
export interface SessionUser {
  id: string;
  email?: string | null;
  name?: string | null;
  /** The host app's id of the sign-in session this request belongs to (ended by sign-out). */
  sessionId?: string | null;
}
