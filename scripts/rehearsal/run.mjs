// Entry of scripts/cluster-up.sh and scripts/cluster-down.sh: runs the TypeScript through tsx.
import { register } from "tsx/esm/api";

register();
const [command, ...argv] = process.argv.slice(2);
const { main, clusterUp } = await import("./up.ts");
const { clusterDown } = await import("./down.ts");
await main(command === "down" ? clusterDown : clusterUp, argv);
