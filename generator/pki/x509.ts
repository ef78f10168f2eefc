/**
 * The one import point of @peculiar/x509 inside kubeseed: `import * as x509 from "./x509.js"`.
 * @peculiar/x509 2.x registers its algorithm providers with tsyringe, which needs the Reflect metadata
 * API at load time; ES module imports are evaluated in order, so loading reflect-metadata first here
 * is enough. Guarantees: no other side effect.
 */
import "reflect-metadata";

export * from "@peculiar/x509";
