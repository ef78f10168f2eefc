// A plain TCP forwarder, the stand-in for the endpoint's load balancer (haproxy on the VIP) while
// that is not under test: node tcp-forward.mjs LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT.
// It passes bytes through untouched, so TLS stays end to end between client and kube-apiserver.
// Prints "listening" once bound; exits on SIGTERM.
import { connect, createServer } from "node:net";

const [listenHost, listenPort, targetHost, targetPort] = process.argv.slice(2);
const server = createServer((client) => {
  const upstream = connect(Number(targetPort), targetHost);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
});
server.listen(Number(listenPort), listenHost, () => console.log(`listening on ${listenHost}:${listenPort} → ${targetHost}:${targetPort}`));
process.on("SIGTERM", () => process.exit(0));
