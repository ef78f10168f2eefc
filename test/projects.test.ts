/**
 * The project split (test/projects.ts): files that run programs, directly or through a support
 * module, are `consumers`; the rest are `unit`; nothing in test/e2e is either.
 */
import { describe, expect, it } from "vitest";
import { programTests } from "./projects.js";

describe("the unit / consumers split", () => {
  const consumers = programTests();

  it("puts a test that spawns a program itself into consumers", () => {
    expect(consumers).toContain("test/consumers/openssl.test.ts");
    expect(consumers).toContain("test/render/bootstrap/script.test.ts");
  });

  it("follows relative imports: the CLI tests spawn gen through test/cli/support.ts", () => {
    expect(consumers).toContain("test/cli/cli.test.ts");
  });

  it("leaves in-process tests and the rehearsal clusters out", () => {
    expect(consumers).not.toContain("test/render/kubeadm/sans.test.ts");
    expect(consumers).not.toContain("test/projects.test.ts");
    expect(consumers.filter((f) => f.startsWith("test/e2e/"))).toEqual([]);
  });
});
