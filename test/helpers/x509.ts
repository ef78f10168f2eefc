/**
 * The one import point of @peculiar/x509 in the tests: `import * as x509 from "../helpers/x509.js"`. The
 * tests read certificates with it and keep it as the reference the certificates kubeseed encodes
 * (pki/cert-der.ts) are compared with; kubeseed itself no longer loads it (0.2 s of a run's start).
 * @peculiar/x509 2.x registers its algorithm providers with tsyringe, which needs the Reflect metadata
 * API at load time; ES module imports are evaluated in order, so loading reflect-metadata first here
 * is enough. Guarantees: no other side effect.
 */
import "reflect-metadata";

export * from "@peculiar/x509";
