/**
 * CLI entry: argv → exit code, and the only place that calls process.exit (STYLE rule 7); the codes
 * and what each command means by them are in cli/exit-codes.ts. Help and version go to stdout,
 * everything else to stderr. `gen --help` and `gen --version` alone load nothing but help.ts; any
 * other command line goes through cli/dispatch.ts, loaded then.
 */
import { EXIT } from "./exit-codes.js";
import { helpText, versionText } from "./help.js";

export async function run(argv: string[]): Promise<never> {
  if (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h")) {
    process.stdout.write(helpText());
    process.exit(EXIT.ok);
  }
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
    process.stdout.write(versionText());
    process.exit(EXIT.ok);
  }
  const { runCommand } = await import("./dispatch.js");
  process.exit(await runCommand(argv));
}
