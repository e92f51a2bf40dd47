// The Edge check itself, apart from the route so a test can run it with any environment: the hmac-rest
// Web-Crypto client creates an identity, issues a token, revokes and deletes. A diagnostic,
// so off in production whatever ACS_EDGE_CHECK_ENABLED says, and off by default elsewhere.
import { MIN_TOKEN_LIFETIME_MINUTES } from "@acs-stack/acs-server/contract";
import { createEdgeIdentityGateway } from "@acs-stack/acs-server/edge";
import type { readEdgeCheckEnv } from "~/edge/env";

export type EdgeCheckEnv = ReturnType<typeof readEdgeCheckEnv>;

const notFound = () => Response.json({ error: "Not found." }, { status: 404 });

export async function runEdgeCheck(
  { production, enabled, acsVariables }: EdgeCheckEnv,
  options: { fetch?: typeof fetch } = {},
): Promise<Response> {
  if (production || !enabled) return notFound();
  let gateway;
  try {
    gateway = createEdgeIdentityGateway(acsVariables, options);
  } catch (error) {
    return Response.json({ error: (error as Error).message }, { status: 500 });
  }
  try {
    const { acsUserId } = await gateway.createUser();
    const { expiresOn } = await gateway.issueToken(acsUserId, ["chat"], MIN_TOKEN_LIFETIME_MINUTES);
    await gateway.revokeTokens(acsUserId);
    await gateway.deleteUser(acsUserId);
    return Response.json({
      runtime: "edge",
      model: gateway.model,
      expiresOn: expiresOn.toISOString(),
    });
  } catch (error) {
    // The gateway's errors name the failure kind and status, never the key.
    return Response.json({ error: (error as Error).message }, { status: 502 });
  }
}
