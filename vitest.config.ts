import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000, // an upper bound only: the machine may be slow, no test asserts speed
    hookTimeout: 120_000,
  },
});
