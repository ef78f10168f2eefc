/** `gen schema`: (re)write the JSON Schema generated from the zod profile schema. */
import { EXIT } from "../exit-codes.js";
import { resolve } from "node:path";
import { userFs } from "../../io/fs-errors.js";
import { writeTextFile } from "../../io/text-file.js";
import { profileJsonSchema } from "../../profile/index.js";
import type { Command } from "../args.js";

export const DEFAULT_SCHEMA_PATH = "schemas/profile.schema.json";

export function schemaCommand(cmd: Extract<Command, { name: "schema" }>, cwd: string): number {
  const out = resolve(cwd, cmd.out ?? DEFAULT_SCHEMA_PATH);
  userFs("write", cmd.out ?? DEFAULT_SCHEMA_PATH, () => writeTextFile(out, profileJsonSchema()));
  process.stderr.write(`wrote ${cmd.out ?? DEFAULT_SCHEMA_PATH}\n`);
  return EXIT.ok;
}
