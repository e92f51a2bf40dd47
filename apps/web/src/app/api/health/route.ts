// Readiness: answers 200 once the database is open and migrated (container probes, test servers).
import { getDatabase } from "~/server/db";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const database = await getDatabase();
    return Response.json({ ok: true, database: database.driver });
  } catch {
    return Response.json(
      { ok: false, error: "The database is not available yet." },
      { status: 503 },
    );
  }
}
