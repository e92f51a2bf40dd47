// Signs each try with the credential's current token (the SDK's bearer policy caches tokens until
// 2 minutes before expiry, which would keep sending a token ACS already refused), and on a 401
// forces one refresh and retries the request once.
import type { ChatClientOptions } from "@azure/communication-chat";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

type AdditionalPolicyConfig = NonNullable<ChatClientOptions["additionalPolicies"]>[number];
import type { AcsTokenCredential } from "../token/types";

export const TOKEN_REFRESH_POLICY_NAME = "acsTokenRefreshPolicy";

export function createTokenRefreshPolicy(
  credential: Pick<AcsTokenCredential, "getToken" | "forceRefresh">,
): PipelinePolicy {
  return {
    name: TOKEN_REFRESH_POLICY_NAME,
    async sendRequest(request, next) {
      const token = await credential.getToken({ abortSignal: request.abortSignal });
      request.headers.set("Authorization", `Bearer ${token.token}`);
      const response = await next(request);
      if (response.status !== 401) return response;
      let fresh;
      try {
        fresh = await credential.forceRefresh(token.token);
      } catch {
        // Revoked, disposed or unreachable: the caller sees ACS's 401.
        return response;
      }
      request.headers.set("Authorization", `Bearer ${fresh.token}`);
      return next(request);
    },
  };
}

export function tokenRefreshPolicies(
  credential: Pick<AcsTokenCredential, "getToken" | "forceRefresh">,
): AdditionalPolicyConfig[] {
  return [{ policy: createTokenRefreshPolicy(credential), position: "perRetry" }];
}
