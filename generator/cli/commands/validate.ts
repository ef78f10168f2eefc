/** `gen validate`: report every problem of a profile; exit 0 when it would render. */
import { messages } from "../../core/messages.js";
import type { Command } from "../args.js";
import { loadValidProfile } from "./load.js";

export function validateCommand(cmd: Extract<Command, { name: "validate" }>, cwd: string): number {
  const { profile, file } = loadValidProfile(cmd.profile, cwd, cmd.strict);
  process.stderr.write(messages.cli.valid(file, profile.spec.nodes.length));
  return 0;
}
