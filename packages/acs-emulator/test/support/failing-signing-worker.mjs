// A signing worker that dies on its first batch (an uncaught error), for the fallback tests of
// src/tokens/rs256-signer.ts.
import { parentPort } from "node:worker_threads";

parentPort.on("message", () => {
  throw new Error("signing worker crashed on purpose");
});
