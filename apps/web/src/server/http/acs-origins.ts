// Where the browser's chat SDK connects: the ACS endpoint acs-server hands out with each token
// (packages/acs-server/src/control-plane/config.ts resolves it: ACS_ENDPOINT, the endpoint in
// ACS_CONNECTION_STRING, else the emulator at ACS_EMULATOR_HOST:ACS_EMULATOR_PORT). A loopback
// emulator is reached over plain http on the same port (acs-client's emulator-loopback-policy.ts),
// and its event stream is on the same origin.

export interface AcsEndpointSettings {
  ACS_AUTH_MODEL?: string;
  ACS_ENDPOINT?: string;
  ACS_CONNECTION_STRING?: string;
  ACS_EMULATOR_HOST: string;
  ACS_EMULATOR_PORT: number;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The endpoint's origin, plus its plain-http twin when it is a loopback emulator. */
function sourcesOf(endpoint: string | undefined): string[] {
  if (!endpoint || !URL.canParse(endpoint)) return [];
  const url = new URL(endpoint);
  if (url.protocol !== "https:" || !LOOPBACK_HOSTS.has(url.hostname)) return [url.origin];
  return [url.origin, `http://${url.hostname}:${url.port || "443"}`];
}

/** The emulator's endpoint host as the emulator itself writes it (packages/acs-emulator/src/server.ts). */
function emulatorHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** CSP connect-src sources for the configured ACS. */
export function acsConnectSources(settings: AcsEndpointSettings): string[] {
  const model = settings.ACS_AUTH_MODEL?.trim();
  if (model !== "emulator") {
    if (settings.ACS_ENDPOINT) return sourcesOf(settings.ACS_ENDPOINT);
    // The SDK's own parse (../shared/docs/acs-wire-facts.md §0): greedy up to ";accesskey=".
    if (settings.ACS_CONNECTION_STRING) {
      return sourcesOf(/endpoint=(.*);accesskey=/i.exec(settings.ACS_CONNECTION_STRING)?.[1]);
    }
  }
  const host = emulatorHost(settings.ACS_EMULATOR_HOST);
  // Port 0: the emulator picks one at start-up, unknown here; a CSP port wildcard covers it.
  const port = settings.ACS_EMULATOR_PORT === 0 ? "*" : String(settings.ACS_EMULATOR_PORT);
  return LOOPBACK_HOSTS.has(host)
    ? [`https://${host}:${port}`, `http://${host}:${port}`]
    : [`https://${host}:${port}`];
}
