/**
 * A stand-in for kube-apiserver's TLS front door (testbed README: until real binaries are built):
 * node:https on 127.0.0.1 with a generated apiserver certificate, answering GET /version, and
 * recording for every request the client certificate's subject (CN, O) and the Authorization header.
 * Guarantees: binds loopback only, on a port the OS picks; `close` ends every open connection.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { TLSSocket } from "node:tls";

export interface SeenRequest {
  /** the request path without its query (kubectl adds ?timeout=…) */
  path: string;
  /** absent when the client presented no certificate */
  cn?: string;
  o: string[];
  authorization?: string;
}

export interface FakeApiserver {
  url: string;
  seen: SeenRequest[];
  /** TLS handshakes that failed, with the reason */
  refused: string[];
  close(): Promise<void>;
}

export const VERSION_BODY = { major: "1", minor: "31", gitVersion: "v1.31.4", platform: "linux/amd64" };

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * clientCerts "required": only clients with a certificate of CA get through (kube-apiserver's
 * --client-ca-file); "none": no certificate is asked for (token clients).
 */
export async function startFakeApiserver(opts: { cert: string; key: string; ca: string; clientCerts: "required" | "none" }): Promise<FakeApiserver> {
  const seen: SeenRequest[] = [];
  const refused: string[] = [];
  const required = opts.clientCerts === "required";
  const server: Server = createServer(
    { cert: readFileSync(opts.cert), key: readFileSync(opts.key), ca: readFileSync(opts.ca), requestCert: required, rejectUnauthorized: required },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const subject = peer && Object.keys(peer).length ? peer.subject : undefined;
      const path = new URL(req.url ?? "/", "https://apiserver").pathname;
      seen.push({ path, cn: subject?.CN as string | undefined, o: list(subject?.O), authorization: req.headers.authorization });
      if (req.method === "GET" && path === "/version") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(VERSION_BODY));
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", status: "Failure", code: 404 }));
      }
    },
  );
  server.on("tlsClientError", (err) => refused.push(err.message));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    refused,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
