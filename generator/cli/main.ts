/**
 * CLI entry: argv → exit code, and the only place that calls process.exit (STYLE rule 7); the codes
 * and what each command means by them are in cli/exit-codes.ts. Help and version go to stdout,
 * everything else to stderr. `gen --help` and `gen --version` alone load nothing but help.ts; any
 * other command line goes through cli/dispatch.ts, loaded then.
 */
import { setFlagsFromString } from "node:v8";
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
  // V8 grows a heap by up to 4× its live data after a full collection when collections take little of
  // the run's time, as in a large run: 3 + 10,000 workers peaked at 1.04-1.07 GB of memory with under
  // 100 MB live on the main thread. At most 1.5× (a flag read at every collection, for every thread of
  // the process): 760-833 MB, the same time within the noise (GC time +0.3 s of ~40 s of CPU).
  setFlagsFromString("--heap-growing-percent=50");
  const { runCommand } = await import("./dispatch.js");
  process.exit(await runCommand(argv));
}
