// `acs-emulator start [--port N] [--host H] [--allowed-host H]… [--cors-origin O]… [--data-dir DIR]
//  [--in-memory] [--json] [--log-level L] [--entra-principal ID:SECRET]… [--entra-tenant T]
//  [--entra-user UPN:PASSWORD[:NAME]]… [--entra-redirect-uri URI]…` (USAGE)
import { parseArgs } from "node:util";
import { EMULATOR_DEFAULTS } from "./defaults";
import {
  ENTRA_CLI_FLAGS,
  ENTRA_CLI_USAGE,
  EntraCliOptionError,
  entraAuthority,
  parseEntraCliOptions,
} from "./entra";
import { readEmulatorEnv } from "./env";
import { createCorsPolicy } from "./http/cors";
import { hostnameOf } from "./http/host-check";
import type { LogLevel } from "./log";
import { startEmulator } from "./server";

const USAGE = `Usage: acs-emulator start [options]

Options:
  --port N          port for HTTPS and plain HTTP (default ${EMULATOR_DEFAULTS.port}; 0 = any free port)
  --host H          interface to bind (default ${EMULATOR_DEFAULTS.host}; anything else warns)
  --allowed-host H  another name to accept in the Host header (repeatable; default: localhost, loopback)
  --cors-origin O   an origin whose pages may call the emulator, e.g. https://app.test or
                    http://host:* (repeatable; replaces the default http(s)://localhost:*, 127.0.0.1, [::1])
  --data-dir DIR    where certificates, keys and the journal live (default ${EMULATOR_DEFAULTS.dataDir})
  --in-memory       keep nothing on disk
  --compact-threshold BYTES  compact the journal when its tail passes BYTES (default 16 MiB)
  --json            print one JSON line {endpoint, connectionString, caCertPath, dataDir[, entra]} first on stdout
  --access-key K    base64 primary access key (default: the well-known dev key)
  --secondary-access-key K  base64 secondary access key
  --log-level L     silent | error | info | debug (debug shows the expected HMAC string-to-sign)
${ENTRA_CLI_USAGE}  -h, --help        show this help
`;

const LOG_LEVELS: readonly LogLevel[] = ["silent", "error", "info", "debug"];

class UsageError extends Error {}

function parsePort(value: string | undefined): number {
  if (value === undefined) return EMULATOR_DEFAULTS.port;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, got '${value}'.`);
  return port;
}

function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(bytes) || bytes < 1)
    throw new UsageError(`--compact-threshold must be a positive number of bytes, got '${value}'.`);
  return bytes;
}

function parseKey(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0 || Buffer.from(value, "base64").toString("base64") !== value) {
    throw new UsageError(`${flag} must be a base64 string.`);
  }
  return value;
}

function parseAllowedHosts(values: string[] | undefined): string[] | undefined {
  const invalid = values?.find((value) => hostnameOf(value) === undefined);
  if (invalid !== undefined)
    throw new UsageError(`--allowed-host must be a host name or address, got '${invalid}'.`);
  return values;
}

function parseCorsOrigins(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  try {
    createCorsPolicy(values);
  } catch (error) {
    throw new UsageError(
      `--cors-origin: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return values;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "allowed-host": { type: "string", multiple: true },
      "cors-origin": { type: "string", multiple: true },
      "data-dir": { type: "string" },
      "in-memory": { type: "boolean", default: false },
      "compact-threshold": { type: "string" },
      json: { type: "boolean", default: false },
      "log-level": { type: "string" },
      "access-key": { type: "string" },
      "secondary-access-key": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
      ...ENTRA_CLI_FLAGS,
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals[0] !== "start" || positionals.length > 1)
    throw new UsageError("Expected the command 'start'.");

  const env = readEmulatorEnv();
  const logLevelInput = values["log-level"] ?? env.ACS_EMULATOR_LOG_LEVEL ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelInput)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}.`);
  }

  const entra = parseEntraCliOptions({
    principals: values["entra-principal"],
    tenant: values["entra-tenant"],
    users: values["entra-user"],
    redirectUris: values["entra-redirect-uri"],
  });

  const emulator = await startEmulator({
    port: parsePort(values.port),
    host: values.host,
    allowedHosts: parseAllowedHosts(values["allowed-host"]),
    corsOrigins: parseCorsOrigins(values["cors-origin"]),
    dataDir: values["data-dir"],
    inMemory: values["in-memory"],
    compaction: { thresholdBytes: parseThreshold(values["compact-threshold"]) },
    logLevel: logLevelInput as LogLevel,
    accessKey: parseKey(values["access-key"], "--access-key"),
    secondaryAccessKey: parseKey(values["secondary-access-key"], "--secondary-access-key"),
    ...(entra ? { entra } : {}),
  });
  const entraInfo = entra ? entraAuthority(emulator.endpoint, entra) : undefined;

  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        endpoint: emulator.endpoint,
        connectionString: emulator.connectionString,
        caCertPath: emulator.caCertPath ?? null,
        dataDir: emulator.dataDir ?? null,
        ...(entraInfo ? { entra: entraInfo } : {}),
      })}\n`,
    );
  } else {
    const trust = emulator.caCertPath
      ? [
          `CA certificate:    ${emulator.caCertPath}`,
          `Trust it in Node:  NODE_EXTRA_CA_CERTS=${emulator.caCertPath}  (or SDK option tlsOptions: { ca })`,
        ]
      : ["CA certificate:    in memory only (GET /emulator/info returns caCertPem)"];
    process.stdout.write(
      [
        `ACS emulator running`,
        `Endpoint:          ${emulator.endpoint}`,
        `Connection string: ${emulator.connectionString}`,
        ...trust,
        `Plain HTTP:        ${emulator.endpoint.replace("https://", "http://")} (same port; identity with allowInsecureConnection, browsers)`,
        `Data:              ${emulator.dataDir ?? "in memory"}`,
        ...(entraInfo
          ? [
              `Entra ID:          AZURE_AUTHORITY_HOST=${entraInfo.authorityHost} AZURE_TENANT_ID=${entraInfo.tenantId}`,
            ]
          : []),
        "",
      ].join("\n"),
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`acs-emulator: ${signal}, closing\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`acs-emulator: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    error instanceof EntraCliOptionError ||
    (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
  ) {
    process.stderr.write(`acs-emulator: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(
    `acs-emulator: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
