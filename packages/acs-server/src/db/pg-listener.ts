// PostgreSQL LISTEN on one dedicated connection per process (a pooled connection would drop its
// LISTENs when returned). Reconnects with back-off after a lost connection and re-LISTENs; since
// notifications sent meanwhile are lost, subscribers get `onReconnect` to re-read what they track.
import pg from "pg";

export type NotificationHandler = (payload: string) => void;

export interface ListenOptions {
  /** Called after the connection was lost and re-established (notifications may have been missed). */
  onReconnect?: () => void;
}

interface Subscription {
  handler: NotificationHandler;
  onReconnect?: () => void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

/** Channel names are identifiers in LISTEN; only plain ones are accepted. */
export function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new Error(`Invalid notification channel name: ${channel}`);
}

export function createPgListener(url: string) {
  const channels = new Map<string, Set<Subscription>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let backoffMs = MIN_BACKOFF_MS;
  let reconnectTimer: NodeJS.Timeout | undefined;

  function dispatch(message: pg.Notification): void {
    for (const subscription of channels.get(message.channel) ?? []) {
      try {
        subscription.handler(message.payload ?? "");
      } catch {
        // One failing subscriber must not stop the others.
      }
    }
  }

  async function open(isReconnect: boolean): Promise<pg.Client> {
    const next = new pg.Client({ connectionString: url });
    next.on("notification", dispatch);
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      for (const channel of channels.keys()) await next.query(`LISTEN ${channel}`);
    } catch (error) {
      next.removeAllListeners("end");
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      throw new Error("listener closed");
    }
    client = next;
    backoffMs = MIN_BACKOFF_MS;
    if (isReconnect) {
      for (const subscriptions of channels.values())
        for (const s of subscriptions) s.onReconnect?.();
    }
    return next;
  }

  function lost(which: pg.Client): void {
    if (client !== which) return;
    client = undefined;
    which.removeAllListeners("end");
    void which.end().catch(() => undefined);
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connecting = open(true).finally(() => (connecting = undefined));
      connecting.catch(() => {
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        scheduleReconnect();
      });
    }, backoffMs);
    reconnectTimer.unref();
  }

  async function connected(): Promise<pg.Client> {
    if (client) return client;
    connecting ??= open(false).finally(() => (connecting = undefined));
    return connecting;
  }

  return {
    /** Subscribes to `channel`; resolves once LISTEN is active. Returns the unsubscribe function. */
    async listen(
      channel: string,
      handler: NotificationHandler,
      options: ListenOptions = {},
    ): Promise<() => Promise<void>> {
      assertChannelName(channel);
      if (closed) throw new Error("The notification listener is closed.");
      const subscription: Subscription = { handler, onReconnect: options.onReconnect };
      const isNewChannel = !channels.has(channel);
      const subscriptions = channels.get(channel) ?? new Set<Subscription>();
      subscriptions.add(subscription);
      channels.set(channel, subscriptions);
      try {
        const active = await connected();
        // A fresh connection already LISTENs to every known channel.
        if (isNewChannel && active === client) await active.query(`LISTEN ${channel}`);
      } catch (error) {
        subscriptions.delete(subscription);
        if (subscriptions.size === 0) channels.delete(channel);
        throw error;
      }
      return async () => {
        subscriptions.delete(subscription);
        if (subscriptions.size > 0 || channels.get(channel) !== subscriptions) return;
        channels.delete(channel);
        await client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      };
    },

    async close(): Promise<void> {
      closed = true;
      clearTimeout(reconnectTimer);
      channels.clear();
      const current = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      if (current) {
        current.removeAllListeners("end");
        await current.end().catch(() => undefined);
      }
    },
  };
}

export type PgListener = ReturnType<typeof createPgListener>;
