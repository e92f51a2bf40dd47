// Public API of @acs-stack/acs-server (see README.md).
export { createDatabase, schema } from "./db";
export type { Database, DatabaseOptions } from "./db";
export { createUserStore, EmailTakenError, normalizeEmail } from "./db/users";
export type { AppUser, LoginLockoutPolicy, UserStore } from "./db/users";
export { SdkIdentityGateway, classifyIdentityError } from "./control-plane/sdk-identity-gateway";
export * from "./control-plane/identity-gateway";
export { readServerEnv } from "./env";
export type { ServerEnv } from "./env";
