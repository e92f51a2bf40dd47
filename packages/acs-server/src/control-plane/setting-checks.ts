// The validators every auth model's validate() uses, collecting problems instead of throwing, so
// one start-up error lists all of them.
import { isLoopbackHost } from "@acs-stack/config/loopback";
import type { ControlPlaneEnv } from "./config";
import type { SettingChecks } from "./models/model";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Checks over `env` that append to `problems`. */
export function createSettingChecks(env: ControlPlaneEnv, problems: string[]): SettingChecks {
  const checks: SettingChecks = {
    problem: (message) => void problems.push(message),
    get count() {
      return problems.length;
    },
    endpoint(value, variable, requireHttps) {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        problems.push(
          `${variable} is not a URL (expected https://<resource>.communication.azure.com/).`,
        );
        return undefined;
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        problems.push(`${variable} must be an https:// URL, got ${url.protocol}.`);
        return undefined;
      }
      if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
        problems.push(
          `${variable} must be the resource's origin with no path or query (the Identity SDK rejects sub-paths).`,
        );
        return undefined;
      }
      if (url.protocol === "http:" && (requireHttps || !isLoopbackHost(url.hostname))) {
        problems.push(
          requireHttps
            ? `${variable} must use https: bearer tokens (Entra ID, managed identity) are never sent over plain http.`
            : `${variable} must use https (plain http is accepted for loopback hosts only).`,
        );
        return undefined;
      }
      return `${url.origin}/`;
    },
    requireEndpoint(model, requireHttps) {
      if (env.ACS_ENDPOINT === undefined) {
        problems.push(`ACS_ENDPOINT is required for the ${model} model.`);
        return undefined;
      }
      return checks.endpoint(env.ACS_ENDPOINT, "ACS_ENDPOINT", requireHttps);
    },
    accessKey(value, variable) {
      if (!BASE64.test(value)) {
        problems.push(
          `${variable} must be the resource's base64 access key (Keys blade of the ACS resource).`,
        );
        return false;
      }
      return true;
    },
  };
  return checks;
}
