import { randomUUID } from "node:crypto";

import type { Database } from "../../src/db";
import { createUserStore } from "../../src/db/users";
import type { SessionUser } from "../../src/contract";

/** A fresh app user (unique per call) so tests can share one database. */
export async function createTestUser(database: Database, name = "Tester"): Promise<SessionUser> {
  const tag = randomUUID().slice(0, 8);
  const user = await createUserStore(database).createUser({
    email: `${name.toLowerCase().replace(/\W+/g, ".")}.${tag}@example.test`,
    displayName: `${name} ${tag}`,
    passwordHash: null,
  });
  return { id: user.id, email: user.email, name: user.displayName };
}
