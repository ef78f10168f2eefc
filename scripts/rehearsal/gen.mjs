// The rehearsal generates with the sources of this checkout (through tsx), never with a dist/ build
// that may be older than them.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../../generator/cli/main.ts");
await run(process.argv.slice(2));
