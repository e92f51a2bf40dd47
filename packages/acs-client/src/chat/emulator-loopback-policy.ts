// Browsers cannot trust the emulator's local CA, and the chat SDK's bearer policy refuses any
// non-https URL. For a loopback emulator only, this perRetry policy (which runs after that check)
// sends the request over plain HTTP on the same port; the emulator serves both on one port.
import { isLoopbackHost } from "@acs-stack/config/loopback";
import type { ChatClientOptions } from "@azure/communication-chat";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

type AdditionalPolicyConfig = NonNullable<ChatClientOptions["additionalPolicies"]>[number];

export const EMULATOR_LOOPBACK_POLICY_NAME = "acsEmulatorLoopbackPolicy";

/** True only for `emulator: true` and an https endpoint on 127.0.0.1, localhost or [::1]. */
export function isLoopbackEmulatorEndpoint(endpoint: string, emulator: boolean): boolean {
  if (!emulator) return false;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  return url.protocol === "https:" && isLoopbackHost(url.hostname);
}

/** The policy for one endpoint: only requests to that exact origin are rewritten. */
export function createEmulatorLoopbackPolicy(endpoint: string): PipelinePolicy {
  const origin = new URL(endpoint);
  const port = origin.port || "443";
  return {
    name: EMULATOR_LOOPBACK_POLICY_NAME,
    async sendRequest(request, next) {
      const original = request.url;
      const url = new URL(original);
      if (
        url.protocol !== "https:" ||
        url.hostname !== origin.hostname ||
        (url.port || "443") !== port
      ) {
        return next(request);
      }
      url.protocol = "http:";
      url.port = port;
      request.url = url.toString();
      request.allowInsecureConnection = true;
      try {
        return await next(request);
      } finally {
        // A retry passes the bearer policy's https check again: give it back the https URL.
        request.url = original;
      }
    },
  };
}

/** `additionalPolicies` entries for a chat client: the loopback policy, or nothing. */
export function emulatorLoopbackPolicies(options: {
  endpoint: string;
  emulator: boolean;
}): AdditionalPolicyConfig[] {
  if (!isLoopbackEmulatorEndpoint(options.endpoint, options.emulator)) return [];
  return [{ policy: createEmulatorLoopbackPolicy(options.endpoint), position: "perRetry" }];
}
