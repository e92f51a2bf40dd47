// Everything the procedures need, built once per process: DB, ACS gateway, policies, clock.
import type { IdentityGateway } from "./control-plane/identity-gateway";
import type { ControlPlaneOptions } from "./control-plane/index";
import type { Database } from "./db";
import { createDatabase } from "./db";
import { createCallCounters } from "./db/call-counters";
import { databaseOptionsFromEnv } from "./db/config";
import { createGrantRepository } from "./db/grants";
import { createIdentityRepository } from "./db/identities";
import { createPresenceRepository } from "./db/presence";
import { createTokenRateLimiter } from "./db/rate-limits";
import { createUserStore } from "./db/users";
import { perUserCallLimit } from "./domain/call-limits";
import { createDirectoryService } from "./domain/directory";
import { createIdentityService } from "./domain/identities";
import { createPresenceService, defaultHeartbeatsPerMinute } from "./domain/presence";
import { createTeamsTokenService } from "./domain/teams";
import type { ScopePolicy } from "./domain/scope-policy";
import { parseScopeList, staticScopePolicy } from "./domain/scope-policy";
import { createTokenService } from "./domain/tokens";
import type { ServerEnv } from "./env";
import { readServerEnv } from "./env";

export interface AcsServicesOptions {
  env?: ServerEnv;
  /** Reused as is and not closed by services.close(). */
  database?: Database;
  /** Reused as is and not closed by services.close(). */
  gateway?: IdentityGateway;
  /** Options for the gateway built from env when none is given (client options, emulator options). */
  controlPlane?: ControlPlaneOptions;
  now?: () => Date;
  /** Scopes each user may get; default: ACS_DEFAULT_SCOPES for everyone. */
  scopePolicy?: ScopePolicy;
  /** Token issuances (Teams exchanges included) per user per minute; default ACS_TOKEN_RATE_LIMIT_PER_MINUTE. */
  tokenRateLimitPerMinute?: number;
  /** ACS identity creations per user per window; default ACS_IDENTITY_CREATIONS_PER_WINDOW per ACS_IDENTITY_CREATION_WINDOW_MINUTES. */
  identityCreationLimit?: { max?: number; windowMs?: number };
  /**
   * Serialise issue/refresh/revoke per user (default true). false exists only so the bench can measure
   * what the serialisation costs: without it a revoke can answer while an issue still gets a live token.
   */
  serializeTokenOperations?: boolean;
  /**
   * Presence time-out and sweep interval (default from env: 60 s, 10 s; sweepIntervalMs 0 = no timer,
   * call presence.sweep()); the watchers' poll tick and stream duration (env: 5 s, 240 s).
   */
  presence?: {
    timeoutMs?: number;
    sweepIntervalMs?: number;
    pollIntervalMs?: number;
    watchMaxDurationMs?: number;
    watchStreamsPerUser?: number;
    watchQueueMax?: number;
  };
  /** Calls per user per minute (default from env: ACS_DIRECTORY_*_LIMIT_PER_MINUTE, ACS_PRESENCE_*_LIMIT_PER_MINUTE). */
  callLimitsPerMinute?: {
    directorySearch?: number;
    directoryAddToChat?: number;
    presenceSet?: number;
    presenceHeartbeat?: number;
  };
}

export interface AcsServices {
  readonly env: ServerEnv;
  readonly database: Database;
  readonly gateway: IdentityGateway;
  readonly now: () => Date;
  readonly identities: ReturnType<typeof createIdentityService>;
  readonly tokens: ReturnType<typeof createTokenService>;
  readonly teams: ReturnType<typeof createTeamsTokenService>;
  readonly directory: ReturnType<typeof createDirectoryService>;
  readonly grants: ReturnType<typeof createGrantRepository>;
  readonly presence: ReturnType<typeof createPresenceService>;
  /** App users (the host app's own procedures read and change them here, not in the tables). */
  readonly users: ReturnType<typeof createUserStore>;
  close(): Promise<void>;
}

export async function createAcsServices(options: AcsServicesOptions = {}): Promise<AcsServices> {
  const env = options.env ?? readServerEnv();
  const now = options.now ?? (() => new Date());
  const scopePolicy =
    options.scopePolicy ?? staticScopePolicy(parseScopeList(env.ACS_DEFAULT_SCOPES));
  const rateLimitPerMinute = options.tokenRateLimitPerMinute ?? env.ACS_TOKEN_RATE_LIMIT_PER_MINUTE;

  const ownedDatabase = options.database
    ? undefined
    : await createDatabase(databaseOptionsFromEnv(env));
  const database = options.database ?? ownedDatabase!;
  let ownedGateway: IdentityGateway | undefined;
  try {
    ownedGateway = options.gateway
      ? undefined
      : await createDefaultGateway(env, options.controlPlane);
  } catch (error) {
    await ownedDatabase?.close();
    throw error;
  }
  const gateway = options.gateway ?? ownedGateway!;

  const grants = createGrantRepository(database.orm);
  const counters = createCallCounters(database.orm);
  const identities = createIdentityService({
    gateway,
    identities: createIdentityRepository(database.orm),
    grants,
    creationLimit: perUserCallLimit(counters, now, {
      key: "identity",
      what: "ACS identities created for this user",
      max: options.identityCreationLimit?.max ?? env.ACS_IDENTITY_CREATIONS_PER_WINDOW,
      windowMs:
        options.identityCreationLimit?.windowMs ??
        env.ACS_IDENTITY_CREATION_WINDOW_MINUTES * 60_000,
    }),
    now,
  });
  // One issuance counter for ACS tokens and Teams exchanges alike.
  const rateLimiter = createTokenRateLimiter(database.orm);
  const tokens = createTokenService({
    gateway,
    identities,
    grants,
    rateLimiter,
    scopePolicy,
    rateLimitPerMinute,
    now,
    serializePerUser:
      options.serializeTokenOperations === false
        ? (_userId, fn) => fn()
        : (userId, fn) => database.withLock(`acs-token:${userId}`, fn),
  });
  const teams = createTeamsTokenService({ gateway, grants, rateLimiter, rateLimitPerMinute, now });
  const limits = options.callLimitsPerMinute ?? {};
  const limit = (key: string, what: string, perMinute: number) =>
    perUserCallLimit(counters, now, { key, what, max: perMinute });
  const presenceTimeoutMs = options.presence?.timeoutMs ?? env.ACS_PRESENCE_TIMEOUT_SECONDS * 1000;
  const presence = createPresenceService({
    database,
    repository: createPresenceRepository(database.orm),
    grants,
    now,
    timeoutMs: presenceTimeoutMs,
    sweepIntervalMs: options.presence?.sweepIntervalMs ?? env.ACS_PRESENCE_SWEEP_SECONDS * 1000,
    watchStreamsPerUser: options.presence?.watchStreamsPerUser,
    watchQueueMax: options.presence?.watchQueueMax,
    pollIntervalMs: options.presence?.pollIntervalMs ?? env.ACS_PRESENCE_POLL_SECONDS * 1000,
    watchMaxDurationMs:
      options.presence?.watchMaxDurationMs ?? env.ACS_PRESENCE_WATCH_MAX_SECONDS * 1000,
    setLimit: limit(
      "presence-set",
      "presence updates",
      limits.presenceSet ?? env.ACS_PRESENCE_SET_LIMIT_PER_MINUTE,
    ),
    heartbeatLimit: limit(
      "presence-heartbeat",
      "presence heartbeats",
      limits.presenceHeartbeat ??
        env.ACS_PRESENCE_HEARTBEAT_LIMIT_PER_MINUTE ??
        defaultHeartbeatsPerMinute(presenceTimeoutMs),
    ),
  });
  const directory = createDirectoryService({
    orm: database.orm,
    identities,
    searchLimit: limit(
      "directory",
      "directory searches",
      limits.directorySearch ?? env.ACS_DIRECTORY_SEARCH_LIMIT_PER_MINUTE,
    ),
    addToChatLimit: limit(
      "directory-add",
      "additions to chats",
      limits.directoryAddToChat ?? env.ACS_DIRECTORY_ADD_LIMIT_PER_MINUTE,
    ),
    onAddedToChat: presence.recordChatPairs,
  });

  let closing: Promise<void> | undefined;
  return {
    env,
    database,
    gateway,
    now,
    identities,
    tokens,
    teams,
    directory,
    grants,
    presence,
    users: createUserStore(database),
    close: () =>
      (closing ??= presence
        .close()
        .then(() => Promise.all([ownedGateway?.close(), ownedDatabase?.close()]))
        .then(() => undefined)),
  };
}

async function createDefaultGateway(
  env: ServerEnv,
  options: ControlPlaneOptions | undefined,
): Promise<IdentityGateway> {
  // Loaded lazily so hosts that pass their own gateway never load the control plane's SDKs.
  const { createIdentityGateway } = await import("./control-plane/index");
  return createIdentityGateway(env, options);
}
