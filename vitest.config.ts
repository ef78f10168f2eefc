import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // dist/ (what bin/gen.mjs runs) rebuilt from the sources when they are newer
    globalSetup: ["test/global-build.ts"],
    testTimeout: 180_000, // an upper bound only: the machine may be slow, no test asserts speed
    hookTimeout: 120_000,
  },
});
