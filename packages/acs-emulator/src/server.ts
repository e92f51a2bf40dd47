// Assembles the emulator: key material, journal + replay, identity, tokens, chat, local Entra ID,
// and one port that serves HTTPS and plain HTTP.
import path from "node:path";
import { createHmacVerifier } from "./auth/hmac";
import { createInMemoryKeyMaterial, loadOrCreateKeyMaterial } from "./certs";
import { createChatApi } from "./chat";
import { EMULATOR_DEFAULTS, EMULATOR_VERSION } from "./defaults";
import { createEntraApi, persistentEntraSigningKey, type EntraOptions } from "./entra";
import { createCorsPolicy, DEFAULT_CORS_ORIGINS } from "./http/cors";
import { createEmulatorInfoRoute } from "./http/emulator-info";
import { createHostCheck, exposureWarning } from "./http/host-check";
import { createRequestPipeline } from "./http/pipeline";
import { createDualProtocolServer } from "./http/transport";
import type { RouteHandler } from "./http/types";
import { createIdentityRoutes } from "./identity/routes";
import { createIdentityStore } from "./identity/store";
import { createLogger, type LogLevel } from "./log";
import type { UserAccessTokenRequest } from "./modules";
import { createFileJournal, type CompactionOptions } from "./persistence/file-journal";
import type { Journal } from "./persistence/journal";
import { createMemoryJournal } from "./persistence/memory-journal";
import { createPersistedState } from "./persistence/persisted-state";
import { createTokenIssuer } from "./tokens/issuer";
import type { Rs256SignerKind } from "./tokens/rs256-signer";
import { createUserTokenVerifier } from "./tokens/verifier";

export interface EmulatorOptions {
  /** default "127.0.0.1"; anything but loopback logs a warning */
  host?: string;
  /** Host names accepted besides localhost, loopback addresses and `host` (DNS rebinding guard). */
  allowedHosts?: readonly string[];
  /** Origins whose pages may call the emulator; replaces the default `http(s)://localhost:*`, … */
  corsOrigins?: readonly string[];
  /** default 10443; 0 = any free port */
  port?: number;
  /** default ".data/acs-emulator" (relative to cwd); holds CA, keys, journal */
  dataDir?: string;
  /** keep nothing on disk (certs/keys generated in memory) */
  inMemory?: boolean;
  /** debug logs the expected HMAC string-to-sign */
  logLevel?: LogLevel;
  /** base64; default EMULATOR_DEFAULTS.accessKey */
  accessKey?: string;
  /** base64; default EMULATOR_DEFAULTS.secondaryAccessKey */
  secondaryAccessKey?: string;
  /** Local Entra ID principals (service principals, managed identities) for Bearer auth on the Identity API. */
  entra?: EntraOptions;
  /** Journal compaction (data dir only): threshold, and hooks for tests. */
  compaction?: CompactionOptions;
  /** Clock for token issue/verification, HMAC date checks and records (tests). */
  now?: () => Date;
  /** Where user tokens get their RS256 signature (src/tokens/rs256-signer.ts); default "thread-pool". */
  tokenSigner?: Rs256SignerKind;
}

export interface RunningEmulator {
  /** "https://127.0.0.1:<port>/" */
  endpoint: string;
  /** "endpoint=https://127.0.0.1:<port>/;accesskey=<primary key>" */
  connectionString: string;
  caCertPem: string;
  caCertPath?: string;
  dataDir?: string;
  resourceId: string;
  port: number;
  /** The local Entra ID, when `entra` was given. */
  entra?: {
    /**
     * A user's access token signed by the local Entra ID, as its token endpoint would issue it
     * (Teams scopes → audience `https://auth.msft.communication.azure.com`), without a sign-in.
     */
    issueUserAccessToken(request: UserAccessTokenRequest): Promise<string>;
  };
  /** Closes listeners and open SSE streams, flushes the journal. */
  close(): Promise<void>;
}

export { JOURNAL_FILE, SNAPSHOT_FILE } from "./persistence/file-journal";

// Our packages: hostToConnectTo in @acs-stack/config/loopback (the emulator imports none of them).
function endpointHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? EMULATOR_DEFAULTS.host;
  const now = options.now ?? (() => new Date());
  const log = createLogger(options.logLevel ?? "info");
  const resourceId = EMULATOR_DEFAULTS.resourceId;
  const hostCheck = createHostCheck({ bindHost: host, allowedHosts: options.allowedHosts });
  const cors = createCorsPolicy(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const accessKey = options.accessKey ?? EMULATOR_DEFAULTS.accessKey;
  const secondaryAccessKey = options.secondaryAccessKey ?? EMULATOR_DEFAULTS.secondaryAccessKey;
  const dataDir = options.inMemory
    ? undefined
    : path.resolve(options.dataDir ?? EMULATOR_DEFAULTS.dataDir);

  const keys = dataDir ? await loadOrCreateKeyMaterial(dataDir) : createInMemoryKeyMaterial();
  const entraSigningKey = dataDir ? await persistentEntraSigningKey(dataDir) : undefined;
  const journal: Journal = dataDir
    ? createFileJournal(dataDir, log, { compaction: options.compaction })
    : createMemoryJournal();

  const identities = createIdentityStore(journal);
  const issuer = createTokenIssuer(keys.signing, resourceId, {
    signer: options.tokenSigner,
    onSignerError: (error) => log.warn("token signing worker failed", { error: error.message }),
  });
  const tokens = createUserTokenVerifier({ issuer, identities, resourceId, now });
  const chat = createChatApi({
    journal,
    tokens,
    identityExists: (id) => identities.exists(id),
    resourceId,
    now,
    log,
  });
  const entra = createEntraApi({
    now,
    log,
    resourceId,
    options: options.entra,
    ...(entraSigningKey ? { signingKey: entraSigningKey } : {}),
  });
  identities.onTokensInvalidated((id) => chat.closeEventStreams(id));

  const persisted = createPersistedState([identities, chat], log);
  await journal.replay((record) => persisted.apply(record));
  journal.enableCompaction((at) => persisted.snapshot(at));

  const identityRoutes = createIdentityRoutes({
    store: identities,
    issuer,
    hmac: createHmacVerifier({ accessKeys: [accessKey, secondaryAccessKey], now, log }),
    entra,
    resourceId,
    now,
    log,
    onIdentityDeleted: (id) => chat.onIdentityDeleted(id),
  });

  let endpoint = "";
  let connectionString = "";

  const infoRoute = createEmulatorInfoRoute({
    cors,
    info: () => ({
      endpoint,
      connectionString,
      caCertPem: keys.tls.caCertPem,
      resourceId,
      version: EMULATOR_VERSION,
    }),
  });
  const emulatorRoutes: RouteHandler = async (request) => {
    const pathname = request.url.pathname;
    if (pathname === "/emulator/.well-known/jwks.json" && request.method === "GET") {
      return { status: 200, json: await issuer.jwks() };
    }
    return undefined;
  };

  const route: RouteHandler = async (request) =>
    (await identityRoutes(request)) ??
    (await infoRoute(request)) ??
    (await emulatorRoutes(request)) ??
    (await entra.handle(request)) ??
    (await chat.handle(request));

  const pipeline = createRequestPipeline({ route, log, hosts: hostCheck, cors });
  const server = createDualProtocolServer({
    key: keys.tls.serverKeyPem,
    cert: keys.tls.serverCertPem,
    onRequest: pipeline.listener,
  });
  let port: number;
  try {
    port = await server.listen(options.port ?? EMULATOR_DEFAULTS.port, host);
  } catch (error) {
    await journal.close();
    throw error;
  }
  endpoint = `https://${endpointHost(host)}:${port}/`;
  connectionString = `endpoint=${endpoint};accesskey=${accessKey}`;
  log.info("listening", { endpoint, dataDir: dataDir ?? "(in memory)" });
  const warning = exposureWarning(host);
  if (warning) log.warn(warning);

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    connectionString,
    caCertPem: keys.tls.caCertPem,
    caCertPath: keys.tls.caCertPath,
    dataDir,
    resourceId,
    port,
    ...(options.entra
      ? {
          entra: {
            issueUserAccessToken: (request: UserAccessTokenRequest) =>
              entra.issueUserAccessToken(request, endpoint),
          },
        }
      : {}),
    close() {
      closing ??= (async () => {
        chat.close();
        await server.close(() => pipeline.drain());
        await issuer.close();
        await journal.close();
      })();
      return closing;
    },
  };
}
