/** schemas/profile.schema.json is generated from the zod schema; this pins the committed file. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { profileJsonSchema } from "../generator/profile/index.js";

const FILE = fileURLToPath(new URL("../schemas/profile.schema.json", import.meta.url));

describe("profile JSON Schema", () => {
  it("the committed schemas/profile.schema.json equals the schema generated from zod", () => {
    const committed = readFileSync(FILE, "utf8");
    expect(committed === profileJsonSchema(), "schemas/profile.schema.json is stale: run `npx gen schema` and commit it").toBe(true);
  });

  it("is deterministic JSON with 2-space indent and a trailing newline", () => {
    const text = profileJsonSchema();
    expect(text).toBe(profileJsonSchema());
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + "\n");
  });

  it("carries what editors need: draft-07, no extra keys, ranges, enums and descriptions", () => {
    const schema = JSON.parse(profileJsonSchema());
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["apiVersion", "kind", "metadata", "spec"]);
    const spec = schema.properties.spec.properties;
    expect(spec.admin.properties.uid).toMatchObject({ type: "integer", minimum: 1000, maximum: 60000 });
    expect(spec.network.properties.vlan).toMatchObject({ minimum: 1, maximum: 4094 });
    expect(spec.nodes.items.properties.role.enum).toEqual(["control-plane", "worker", "etcd"]);
    expect(spec.nodes.items.properties.address.description).toMatch(/private address/);
  });
});
