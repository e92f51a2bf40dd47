// Proof that the token lifecycle runs on the Edge runtime (issue 5): the hmac-rest Web-Crypto client
// creates an identity, issues a token, revokes and deletes. Disabled (404) unless ACS_EDGE_CHECK_ENABLED=1.
import { createEdgeIdentityGateway } from "@acs-stack/acs-server/edge";
import { readEdgeCheckEnv } from "~/edge/env";

export const runtime = "edge";
export const dynamic = "force-dynamic";

export async function GET() {
  const { enabled, acsVariables } = readEdgeCheckEnv();
  if (!enabled) return Response.json({ error: "Not found." }, { status: 404 });
  let gateway;
  try {
    gateway = createEdgeIdentityGateway(acsVariables);
  } catch (error) {
    return Response.json({ error: (error as Error).message }, { status: 500 });
  }
  try {
    const { acsUserId } = await gateway.createUser();
    const { expiresOn } = await gateway.issueToken(acsUserId, ["chat"], 60);
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
