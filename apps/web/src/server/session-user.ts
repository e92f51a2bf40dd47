/** The signed-in app user as acs-server's tRPC context expects it (CONTRACTS §2 SessionUser). */
export interface SessionUser {
  id: string;
  email?: string | null;
  name?: string | null;
}
