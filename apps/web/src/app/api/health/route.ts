// Container probes (infra/main.bicep, the Dockerfile's HEALTHCHECK) and test servers:
//   /api/health/live     the process answers (no dependency: a restart would not fix one)
//   /api/health/startup  the database is open and migrated (also `/api/health` alone)
//   /api/health/ready    the database answers and the ACS control plane is reachable
// 200 when healthy, 503 otherwise (400 for an unknown probe); each check bounded (checks.ts).
import { parseProbe } from "./checks";
import { healthResponse } from "./respond";

export const dynamic = "force-dynamic";

export function GET() {
  return healthResponse(parseProbe(undefined));
}
