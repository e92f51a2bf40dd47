// Where the browser's chat SDK connects: the ACS endpoint acs-server hands out with each token
// (packages/acs-server/src/control-plane/config.ts resolves it: ACS_ENDPOINT, the endpoint in
// ACS_CONNECTION_STRING, else the emulator at ACS_EMULATOR_HOST:ACS_EMULATOR_PORT). A loopback
// emulator is reached over plain http on the same port (acs-client's emulator-loopback-policy.ts),
// and its event stream is on the same origin.
import { hostToConnectTo, isLoopbackHost } from "@acs-stack/config/loopback";

export interface AcsEndpointSettings {
  ACS_AUTH_MODEL?: string;
  ACS_ENDPOINT?: string;
  ACS_CONNECTION_STRING?: string;
  ACS_EMULATOR_HOST: string;
  ACS_EMULATOR_PORT: number;
}

/** The endpoint's origin, plus its plain-http twin when it is a loopback emulator. */
function sourcesOf(endpoint: string | undefined): string[] {
  if (!endpoint || !URL.canParse(endpoint)) return [];
  const url = new URL(endpoint);
  if (url.protocol !== "https:" || !isLoopbackHost(url.hostname)) return [url.origin];
  return [url.origin, `http://${url.hostname}:${url.port || "443"}`];
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
  // As the emulator itself writes its endpoint host (packages/acs-emulator/src/server.ts).
  const host = hostToConnectTo(settings.ACS_EMULATOR_HOST);
  // Port 0: the emulator picks one at start-up, unknown here; a CSP port wildcard covers it.
  const port = settings.ACS_EMULATOR_PORT === 0 ? "*" : String(settings.ACS_EMULATOR_PORT);
  return isLoopbackHost(host)
    ? [`https://${host}:${port}`, `http://${host}:${port}`]
    : [`https://${host}:${port}`];
}
