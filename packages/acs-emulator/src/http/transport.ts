// One TCP port for HTTPS and plain HTTP: the first byte of a connection tells them apart
// (0x16 = TLS handshake record). The socket is handed to the matching node server unchanged.
import http from "node:http";
import https from "node:https";
import net from "node:net";

const TLS_HANDSHAKE = 0x16;

export type RequestListener = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  scheme: "https" | "http",
) => void;

export interface DualProtocolServer {
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets `drain` finish in-flight requests, then drops every connection. */
  close(drain: () => Promise<void>): Promise<void>;
}

export function createDualProtocolServer(options: {
  key: string;
  cert: string;
  onRequest: RequestListener;
}): DualProtocolServer {
  // Idle keep-alive connections stay open 65 s, longer than clients keep an idle socket (Node's agent:
  // 5 s), so the client closes first. With Node's default 5 s both ends close at once, and a request
  // written onto a socket the server is closing fails with ECONNRESET (seen after 5 s of quiet).
  const serverOptions = { keepAlive: true, keepAliveTimeout: 65_000, requestTimeout: 0 };
  const httpServer = http.createServer(serverOptions, (req, res) =>
    options.onRequest(req, res, "http"),
  );
  const httpsServer = https.createServer(
    { ...serverOptions, key: options.key, cert: options.cert },
    (req, res) => options.onRequest(req, res, "https"),
  );
  const sockets = new Set<net.Socket>();

  const tcpServer = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const target = first[0] === TLS_HANDSHAKE ? httpsServer : httpServer;
      target.emit("connection", socket);
      process.nextTick(() => socket.resume());
    });
  });
  // A TLS client that aborts the handshake must not take the process down.
  httpsServer.on("tlsClientError", (_err, tlsSocket) => tlsSocket.destroy());
  httpServer.on("clientError", (_err, socket) => socket.destroy());

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        tcpServer.once("error", reject);
        tcpServer.listen(port, host, () => {
          tcpServer.off("error", reject);
          const address = tcpServer.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      }),
    close: async (drain) => {
      const closed = new Promise<void>((resolve) => tcpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      httpsServer.closeIdleConnections();
      await drain();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
