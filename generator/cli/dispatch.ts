/**
 * argv → command → exit code: parses the arguments, runs the command (each command's module loads
 * only when it runs) and turns what it throws into messages and an exit code (cli/exit-codes.ts).
 * cli/main.ts calls it and exits.
 */
import { renderDiagnostic, sortDiagnostics } from "../core/diagnostics.js";
import { UsageError, UserError } from "../core/errors.js";
import { escapeControls } from "../core/excerpt.js";
import { messages } from "../core/messages.js";
import { parseCommand, type Command } from "./args.js";
import { helpText, versionText } from "./help.js";
import { EXIT } from "./exit-codes.js";

async function dispatch(cmd: Command): Promise<number> {
  const cwd = process.cwd();
  switch (cmd.name) {
    case "help":
      process.stdout.write(helpText());
      return EXIT.ok;
    case "version":
      process.stdout.write(versionText());
      return EXIT.ok;
    case "schema":
      return (await import("./commands/schema.js")).schemaCommand(cmd, cwd);
    case "validate":
      return (await import("./commands/validate.js")).validateCommand(cmd, cwd);
    case "generate":
      return (await import("./commands/generate.js")).generateCommand(cmd, cwd);
    case "plan":
      return (await import("./commands/plan.js")).planCommand(cmd, cwd);
    case "certs-check":
      return (await import("./commands/certs-check.js")).certsCheckCommand(cmd, cwd);
    case "rotate-ca":
      return (await import("./commands/rotate-ca.js")).rotateCaCommand(cmd, cwd);
    case "secrets-import":
      return (await import("./commands/secrets-import.js")).secretsImportCommand(cmd, cwd);
  }
}

/** Runs the command of `argv`; resolves to its exit code after printing what it has to say. */
export async function runCommand(argv: string[]): Promise<number> {
  let code: number;
  try {
    code = await dispatch(parseCommand(argv));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(messages.cli.usageError(escapeControls(e.message)));
      code = EXIT.usage;
    } else if (e instanceof UserError) {
      const diags = sortDiagnostics(e.diagnostics);
      // one problem that is the whole message: say it once
      if (diags.length === 1 && diags[0].message === e.message) process.stderr.write(renderDiagnostic(diags[0]) + "\n");
      else {
        for (const d of diags) process.stderr.write(renderDiagnostic(d) + "\n\n");
        process.stderr.write(`error: ${escapeControls(e.message)}\n`);
      }
      code = EXIT.failed;
    } else {
      process.stderr.write(messages.cli.internalError((e as Error)?.stack ?? String(e)));
      code = EXIT.failed;
    }
  }
  return code;
}
