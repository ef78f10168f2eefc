#!/usr/bin/env node
// kubeseed CLI shim: runs the TypeScript sources through tsx; all logic lives in generator/cli.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../generator/cli/main.ts");
await run(process.argv.slice(2));
