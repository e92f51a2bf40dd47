// One answer for /api/health and /api/health/<probe>: the app's real dependencies, no caching.
import { getServices } from "~/server/acs";
import { getDatabase } from "~/server/db";
import { checkHealth, type HealthProbe } from "./checks";

export async function healthResponse(probe: HealthProbe | undefined): Promise<Response> {
  const answer = await checkHealth(probe, {
    database: getDatabase,
    controlPlane: async () => {
      const { gateway } = await getServices();
      return {
        endpoint: gateway.endpoint,
        caCertPem: gateway.emulatorCaCertPem,
      };
    },
  });
  return Response.json(answer.body, {
    status: answer.status,
    headers: { "cache-control": "no-store" },
  });
}
