import { createDatabase } from "../../src/db";
import { describeStoreSuite } from "./store-suite";

describeStoreSuite("pglite", () => createDatabase({ memory: true }));
