/**
 * The profile's JSON Schema as the package ships it (schemas/profile.schema.json, beside generator/
 * and dist/), for the quick check of profile/schema-check.ts.
 * Guarantees: never throws: a missing or unreadable file, or one that is not JSON, gives undefined
 * (the caller then validates with zod alone).
 */
import { readFileSync } from "node:fs";

const FILE = new URL("../../schemas/profile.schema.json", import.meta.url);

export function readProfileJsonSchema(): unknown {
  try {
    return JSON.parse(readFileSync(FILE, "utf8"));
  } catch {
    return undefined;
  }
}
