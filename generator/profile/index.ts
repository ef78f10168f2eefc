/**
 * The profile stage with zod's structure check (validate.ts): what the package's API and the CLI's
 * slow path use (load.ts has the stage itself), and the profile's JSON Schema.
 * Guarantees: pure; loadProfile never throws on user input (load.ts loadProfileWith's guarantees).
 */
import { z } from "zod";
import { loadProfileWith, type LoadedProfile } from "./load.js";
import type { ProfileSource } from "./parse.js";
import { profileSchema } from "./schema.js";
import { validateStructure } from "./validate.js";

export type { ProfileSource } from "./parse.js";
export type { ProfileInput } from "./schema.js";
export type { Locator, LoadedProfile } from "./load.js";

/** Loads a chain given most-derived first (as readProfileSources returns it); `locate` finds any path of it. */
export function loadProfile(sources: ProfileSource[]): LoadedProfile {
  return loadProfileWith(sources, validateStructure)!;
}

/**
 * The JSON Schema of the profile (draft-07, which editors' YAML language servers read), generated
 * from the zod schema: deterministic text, 2-space indent, trailing newline.
 */
export function profileJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(profileSchema, { target: "draft-7", io: "input" }), null, 2) + "\n";
}
