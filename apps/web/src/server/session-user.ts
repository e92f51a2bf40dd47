/** The signed-in app user as acs-server's tRPC context expects it (CONTRACTS §2 SessionUser). */
export type { SessionUser } from "@acs-stack/acs-server";
