import { defineConfig } from "vitest/config";
import { programTests } from "./test/projects.js";

// The suite as three projects (test/projects.ts says which file goes where): `npm test` runs `unit`
// (in-process, no programs, about a minute); scripts/test.sh runs all three.
const consumers = programTests();
const E2E = "test/e2e/**/*.test.ts";

export default defineConfig({
  test: {
    // dist/ (what bin/gen.mjs runs) rebuilt from the sources when they are newer
    globalSetup: ["test/global-build.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [E2E, ...consumers],
          // upper bounds only, against hangs: no test asserts speed
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: "consumers", include: consumers, testTimeout: 180_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        // a rehearsal test's own waits bound each step (a VIP failover, a node's restart and return to
        // Ready, a late join); the test timeout is only the bound against a hang, above their sum
        test: { name: "e2e", include: [E2E], testTimeout: 30 * 60_000, hookTimeout: 30 * 60_000 },
      },
    ],
  },
});
