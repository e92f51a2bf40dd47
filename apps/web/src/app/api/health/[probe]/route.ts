// /api/health/live | ready | startup (see ../route.ts).
import { parseProbe } from "../checks";
import { healthResponse } from "../respond";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: { params: Promise<{ probe: string }> }) {
  return healthResponse(parseProbe((await context.params).probe));
}
