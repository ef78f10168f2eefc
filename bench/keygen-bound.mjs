// The key-generation bound of `npm run bench`: a node process that only makes COUNT key pairs of
// ALGORITHM the way `gen` makes its leaves' keys (node:crypto generateKeyPair, all requested at once, so
// they run on libuv's thread pool with the same number of threads as `gen`, UV_THREADPOOL_SIZE), and
// nothing else: no certificate, no encoding, no file. `gen` cannot make the same keys in less time; bench/run.ts
// prints gen's first run against it.
// usage: node bench/keygen-bound.mjs ALGORITHM COUNT
import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";

const [alg, countText] = process.argv.slice(2);
const count = Number(countText);
const ec = { "ecdsa-p256": "prime256v1", "ecdsa-p384": "secp384r1" }[alg];
const rsaBits = { "rsa-2048": 2048, "rsa-3072": 3072, "rsa-4096": 4096 }[alg];
if ((!ec && !rsaBits) || !Number.isInteger(count) || count < 1) {
  process.stderr.write("usage: node bench/keygen-bound.mjs ecdsa-p256|ecdsa-p384|rsa-2048|rsa-3072|rsa-4096 COUNT\n");
  process.exit(2);
}
const [type, options] = ec ? ["ec", { namedCurve: ec }] : ["rsa", { modulusLength: rsaBits, publicExponent: 65537 }];
const generate = promisify(generateKeyPair);
await Promise.all(Array.from({ length: count }, () => generate(type, options)));
process.stdout.write(`${count} ${alg} keys\n`);
