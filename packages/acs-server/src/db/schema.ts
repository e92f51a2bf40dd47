// Tables of acs-server and the app's sign-in (shared with apps/web through UserStore).
// Change this file, then run `pnpm --filter @acs-stack/acs-server db:generate` to add a migration.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

import { PRESENCE_STATES } from "../contract";

const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const appUsers = pgTable("app_users", {
  id: text("id").primaryKey(),
  /**
   * Stored lower-cased, so uniqueness is case-insensitive. Null for an account made by an OAuth sign-in
   * whose provider vouched for no email (it is then reached only through its `auth_accounts` row).
   */
  email: text("email").unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash"),
  createdAt: createdAt(),
  /**
   * When the person proved they receive mail at `email` (the link of a sign-up or reset mail), or the
   * account was made already trusted (OAuth, dev sign-up). Null: an unconfirmed sign-up, which cannot
   * sign in and is not found in the directory.
   */
  emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true, mode: "date" }),
});

export const EMAIL_TOKEN_PURPOSES = ["verify-email", "reset-password"] as const;

/**
 * Single-use links sent by mail. Only the SHA-256 of the random token is stored, so a read of this
 * table yields no usable link. A token counts for its own user and purpose only, until `expires_at`,
 * and once (`used_at`).
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => appUsers.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("email_tokens_user_purpose_idx").on(t.userId, t.purpose)],
);

/**
 * Failed sign-ins per (email, client address). An attempt is counted when it is reserved, before the
 * password is checked, so parallel guesses cannot outrun the limit; a success deletes the row.
 * `lock_level` doubles the next lock's length each time the pair is locked again.
 */
export const authLoginThrottle = pgTable(
  "auth_login_throttle",
  {
    email: text("email").notNull(),
    client: text("client").notNull(),
    failures: integer("failures").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    lockLevel: integer("lock_level").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.email, t.client] })],
);

/** One row per sign-in (the id travels in the session JWT); `ended_at` set by sign-out ends it everywhere. */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => appUsers.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    endedAt: timestamp("ended_at", { withTimezone: true, mode: "date" }),
    userAgent: text("user_agent"),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

/**
 * OAuth sign-ins (provider + the provider's account id) mapped to app users. A row is made when the
 * provider's person first signs in (a new app user) or when a signed-in person links it explicitly,
 * or automatically only when the provider vouched for the email of the existing account.
 */
export const authAccounts = pgTable(
  "auth_accounts",
  {
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => appUsers.id, { onDelete: "cascade" }),
    /** The email the provider asserted at linking time, and whether it vouched for it. */
    email: text("email"),
    emailVerified: boolean("email_verified").notNull(),
    linkedAt: timestamp("linked_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerAccountId] }),
    index("auth_accounts_user_idx").on(t.userId),
  ],
);

/**
 * The Entra ID tokens of a person signed in with Microsoft Entra ID and the Teams scopes, one row per
 * app user, kept for the host app (which exchanges them for ACS tokens of their Teams identity).
 * `sealed` is opaque here: the host app encrypts the access and refresh tokens before they arrive, so
 * this table holds none in clear.
 */
export const entraTokens = pgTable("entra_tokens", {
  userId: text("user_id")
    .primaryKey()
    .references(() => appUsers.id, { onDelete: "cascade" }),
  /** The person's Entra object id (`oid`) and tenant (`tid`). */
  objectId: text("object_id").notNull(),
  tenantId: text("tenant_id"),
  sealed: text("sealed").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/**
 * One ACS identity per app user. `status = 'deleting'` marks a deletion in progress: the identity may
 * already be gone in ACS, so nothing issues tokens for it; a retry of the deletion resumes from there.
 */
export const acsIdentities = pgTable("acs_identities", {
  userId: text("user_id")
    .primaryKey()
    .references(() => appUsers.id, { onDelete: "cascade" }),
  acsUserId: text("acs_user_id").notNull().unique(),
  status: text("status", { enum: ["active", "deleting"] })
    .notNull()
    .default("active"),
  createdAt: createdAt(),
});

/** Every token handed out; the newest row of a user is their current grant (refresh re-issues it). */
export const tokenGrants = pgTable(
  "token_grants",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => appUsers.id, { onDelete: "cascade" }),
    acsUserId: text("acs_user_id").notNull(),
    scopes: text("scopes").array().notNull(),
    expiresInMinutes: integer("expires_in_minutes").notNull(),
    expiresOn: timestamp("expires_on", { withTimezone: true, mode: "date" }).notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("token_grants_user_issued_idx").on(t.userId, t.issuedAt.desc(), t.id.desc())],
);

/** Append-only log of grants, refreshes, revocations, Teams token exchanges and identity lifecycle events. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // No foreign key: the audit trail outlives the user row.
    userId: text("user_id").notNull(),
    acsUserId: text("acs_user_id"),
    action: text("action", {
      enum: [
        "identity.created",
        "identity.deleted",
        "token.issued",
        "token.refreshed",
        "token.revoked",
        // An ACS token for a Teams user, exchanged for their Entra token (acs.teams.exchangeToken).
        "teams.token.exchanged",
      ],
    }).notNull(),
    scopes: text("scopes").array(),
    expiresOn: timestamp("expires_on", { withTimezone: true, mode: "date" }),
    at: timestamp("at", { withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index("audit_events_user_at_idx").on(t.userId, t.at)],
);

/** Fixed one-minute window per user, counted in the DB so the limit holds across instances. */
export const tokenRateLimits = pgTable("token_rate_limits", {
  userId: text("user_id").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
  count: integer("count").notNull(),
});

/**
 * Each user's chosen presence. `state` is what the user set; the effective state is `offline` when
 * `timed_out_at` is set (the sweeper saw no heartbeat in time) or `last_seen` is older than the timeout.
 * `revision` grows with every change watchers are told about, so they can drop stale events.
 */
export const presence = pgTable(
  "presence",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => appUsers.id, { onDelete: "cascade" }),
    state: text("state", { enum: PRESENCE_STATES }).notNull(),
    text: text("text"),
    lastSeen: timestamp("last_seen", { withTimezone: true, mode: "date" }).notNull(),
    timedOutAt: timestamp("timed_out_at", { withTimezone: true, mode: "date" }),
    revision: bigint("revision", { mode: "number" }).notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    index("presence_sweep_idx")
      .on(t.lastSeen)
      .where(sql`timed_out_at is null and state <> 'offline'`),
  ],
);

/**
 * Who may watch whose presence: `viewer_id` may watch `subject_id`. Filled by `acs.presence.allow` (the
 * subject lets viewers see it) and both ways by `acs.directory.addToChat` (people put in a chat together).
 */
export const presenceVisibility = pgTable(
  "presence_visibility",
  {
    viewerId: text("viewer_id")
      .notNull()
      .references(() => appUsers.id, { onDelete: "cascade" }),
    subjectId: text("subject_id")
      .notNull()
      .references(() => appUsers.id, { onDelete: "cascade" }),
    /** "allowed": by the subject's consent; "chat": in a chat the app set up; "directory": legacy, grants nothing. */
    reason: text("reason", { enum: ["directory", "allowed", "chat"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.viewerId, t.subjectId] })],
);
