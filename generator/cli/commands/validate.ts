/**
 * `gen validate`: report every problem of a profile; exit 0 when it would render, 1 when not.
 * With --json the diagnostics go to stdout as one JSON document (cli/json.ts) and nothing to stderr,
 * including a profile that cannot be found or read.
 */
import { EXIT } from "../exit-codes.js";
import type { Diagnostic } from "../../core/diagnostics.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { readProfileSources } from "../../io/profile-files.js";
import type { Command } from "../args.js";
import { diagnosticsJson, isValid } from "../json.js";
import { checkProfile, loadValidProfile } from "./load.js";

export async function validateCommand(cmd: Extract<Command, { name: "validate" }>, cwd: string): Promise<number> {
  if (!cmd.json) {
    const { profile, file } = await loadValidProfile(cmd.profile, cwd, cmd.strict);
    process.stderr.write(messages.cli.valid(file, profile.spec.nodes.length));
    return EXIT.ok;
  }
  let file = cmd.profile;
  let diagnostics: Diagnostic[];
  let hasProfile = false;
  try {
    const sources = readProfileSources(cmd.profile, cwd);
    file = sources[0].file;
    const loaded = await checkProfile(sources);
    diagnostics = loaded.diagnostics;
    hasProfile = loaded.profile !== undefined;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    diagnostics = e.diagnostics;
  }
  const valid = isValid(hasProfile, diagnostics, cmd.strict);
  process.stdout.write(diagnosticsJson(file, diagnostics, valid));
  return valid ? 0 : 1;
}
