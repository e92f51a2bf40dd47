// The zod-based env helper every package's env.ts builds on (t3 style): declare, validate once,
// fail with one message naming each bad variable.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { unsetIfBlank } from "./unset-if-blank";

export { createEnv, unsetIfBlank, z };

/** A boolean flag read from "1"/"true"/"0"/"false" (any case); absent → default. */
export function booleanFlag(defaultValue = false) {
  return z
    .enum(["1", "0", "true", "false", "TRUE", "FALSE", "True", "False"])
    .optional()
    .transform((v) => (v === undefined ? defaultValue : v === "1" || v.toLowerCase() === "true"));
}

/** Empty strings count as unset, so `FOO=` in a .env file means "not configured". */
export function optionalString() {
  return z.string().optional().transform(unsetIfBlank);
}
