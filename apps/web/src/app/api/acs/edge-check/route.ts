// Proof that the token lifecycle runs on the Edge runtime; see edge-check.ts. 404 in
// production, and elsewhere unless ACS_EDGE_CHECK_ENABLED=1.
import { readEdgeCheckEnv } from "~/edge/env";
import { runEdgeCheck } from "./edge-check";

export const runtime = "edge";
export const dynamic = "force-dynamic";

export function GET() {
  return runEdgeCheck(readEdgeCheckEnv());
}
