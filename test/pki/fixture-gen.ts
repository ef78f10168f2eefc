/**
 * Writes the frozen secrets fixture to stdout — run ONCE, then commit the output:
 *   npx tsx test/pki/fixture-gen.ts > test/fixtures/secrets-v1.yaml
 * The fixture pins the on-disk format kubeseed.secrets/v1: test/pki/secrets.test.ts requires that it
 * keeps parsing and re-serializes byte for byte. Regenerating it is a format change, not a fix.
 */
import { fixedClock } from "../../generator/core/clock.js";
import { issueCerts } from "../../generator/pki/issue.js";
import { serializeSecrets } from "../../generator/pki/secrets.js";
import { deps, FIXTURE_NOW, FIXTURE_REQUESTS, FIXTURE_SEED, options } from "./support.js";

const r = await issueCerts(FIXTURE_REQUESTS, options("ecdsa-p256", { cluster: "fixture" }), undefined, deps(fixedClock(FIXTURE_NOW), FIXTURE_SEED));
process.stdout.write(serializeSecrets(r.secrets));
