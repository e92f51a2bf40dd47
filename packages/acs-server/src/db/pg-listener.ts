// PostgreSQL LISTEN on one dedicated connection per process (a pooled connection would drop its
// LISTENs when returned, and PgBouncer in transaction mode does not carry them at all: it connects
// through DATABASE_URL_UNPOOLED when set). Reconnects after a lost connection, at most
// MAX_BACKOFF_MS apart, and re-LISTENs; since notifications sent meanwhile are lost, subscribers
// hear `onDisconnect` and then `onReconnect` to re-read what they track, and `state()` says whether
// notifications arrive now (callers can poll the database while it is "down").
import { backoffDelayMs } from "@acs-stack/config/backoff";
import pg from "pg";

import { DatabaseUnavailableError, asDatabaseUnavailable } from "./unavailable";

export type NotificationHandler = (payload: string) => void;

/**
 * "live": LISTEN is active. "down": the connection was lost or could not be opened (reconnecting
 * while anyone listens; notifications are missed until then). "idle": nothing listened yet.
 */
export type ListenerState = "idle" | "live" | "down" | "closed";

export interface ListenOptions {
  /** Called when the LISTEN connection is lost: notifications stop until `onReconnect`. */
  onDisconnect?: () => void;
  /** Called after the connection was lost and re-established (notifications may have been missed). */
  onReconnect?: () => void;
}

interface Subscription extends ListenOptions {
  handler: NotificationHandler;
  /** Lost the connection since it subscribed, and has not heard onReconnect yet. */
  missed: boolean;
}

const MIN_BACKOFF_MS = 250;
/** Bounds how long after the database's return the listener is live again (plus one connect). */
export const MAX_BACKOFF_MS = 2_000;

/** Channel names are identifiers in LISTEN; only plain ones are accepted. */
export function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new Error(`Invalid notification channel name: ${channel}`);
}

export function createPgListener(connection: pg.ClientConfig) {
  const channels = new Map<string, Set<Subscription>>();
  let client: pg.Client | undefined;
  let opening: Promise<pg.Client> | undefined;
  let lastFailure: Error | undefined;
  let closed = false;
  /** Failed opens since the connection was last live (the back-off exponent). */
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;

  function each(fn: (subscription: Subscription) => void): void {
    for (const subscriptions of channels.values())
      for (const subscription of subscriptions) {
        try {
          fn(subscription);
        } catch {
          // One failing subscriber must not stop the others.
        }
      }
  }

  function dispatch(message: pg.Notification): void {
    for (const subscription of channels.get(message.channel) ?? []) {
      try {
        subscription.handler(message.payload ?? "");
      } catch {
        // One failing subscriber must not stop the others.
      }
    }
  }

  async function open(): Promise<pg.Client> {
    const next = new pg.Client(connection);
    next.on("notification", dispatch);
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      for (const channel of channels.keys()) await next.query(`LISTEN ${channel}`);
      if (closed) throw new DatabaseUnavailableError("The notification listener is closed.");
    } catch (error) {
      next.removeAllListeners("end");
      await next.end().catch(() => undefined);
      throw asDatabaseUnavailable(error) ?? error;
    }
    client = next;
    lastFailure = undefined;
    failures = 0;
    each((s) => {
      if (!s.missed) return;
      s.missed = false;
      s.onReconnect?.();
    });
    return next;
  }

  /** The live connection, or one opening now (shared by every caller and the reconnect timer). */
  function connect(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    if (!opening) {
      clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      opening = open().finally(() => (opening = undefined));
      opening.catch((error: unknown) => {
        lastFailure = error instanceof Error ? error : new Error(String(error));
        failures += 1;
        scheduleReconnect();
      });
    }
    return opening;
  }

  function lost(which: pg.Client): void {
    if (client !== which) return;
    client = undefined;
    lastFailure = new DatabaseUnavailableError("The LISTEN connection to the database was lost.");
    which.removeAllListeners("end");
    void which.end().catch(() => undefined);
    each((s) => {
      if (s.missed) return;
      s.missed = true;
      s.onDisconnect?.();
    });
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer || opening || client) return;
    reconnectTimer = setTimeout(
      () => {
        reconnectTimer = undefined;
        // Nobody listens any more (their listen() failed or they unsubscribed): stay down until asked.
        if (closed || channels.size === 0) return;
        connect().catch(() => undefined);
      },
      backoffDelayMs(failures, { initialMs: MIN_BACKOFF_MS, maxMs: MAX_BACKOFF_MS }),
    );
    reconnectTimer.unref();
  }

  return {
    /**
     * Subscribes to `channel`; resolves once LISTEN is active. Rejects (DatabaseUnavailableError
     * when the database cannot be reached) and keeps nothing when it cannot be made active now.
     * Returns the unsubscribe function.
     */
    async listen(
      channel: string,
      handler: NotificationHandler,
      options: ListenOptions = {},
    ): Promise<() => Promise<void>> {
      assertChannelName(channel);
      if (closed) throw new Error("The notification listener is closed.");
      const subscription: Subscription = { ...options, handler, missed: false };
      const isNewChannel = !channels.has(channel);
      const subscriptions = channels.get(channel) ?? new Set<Subscription>();
      subscriptions.add(subscription);
      channels.set(channel, subscriptions);
      try {
        const active = await connect();
        // LISTEN is idempotent: a connection opened meanwhile may have run it already.
        if (isNewChannel) await active.query(`LISTEN ${channel}`);
      } catch (error) {
        subscriptions.delete(subscription);
        if (subscriptions.size === 0 && channels.get(channel) === subscriptions)
          channels.delete(channel);
        throw asDatabaseUnavailable(error) ?? error;
      }
      return async () => {
        subscriptions.delete(subscription);
        if (subscriptions.size > 0 || channels.get(channel) !== subscriptions) return;
        channels.delete(channel);
        await client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      };
    },

    state(): ListenerState {
      if (closed) return "closed";
      if (client) return "live";
      return channels.size > 0 || lastFailure ? "down" : "idle";
    },

    async close(): Promise<void> {
      closed = true;
      clearTimeout(reconnectTimer);
      channels.clear();
      const current = client ?? (await opening?.catch(() => undefined));
      client = undefined;
      if (current) {
        current.removeAllListeners("end");
        await current.end().catch(() => undefined);
      }
    },
  };
}

export type PgListener = ReturnType<typeof createPgListener>;
