// A free TCP port on 127.0.0.1 for the servers tests and benchmarks start themselves (Node only:
// node:net). The emulator's tests keep their own (it imports none of our packages).
import { createServer } from "node:net";

/** Binds port 0, reads the port the system chose, and releases it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("the socket reported no port")),
      );
    });
  });
}
