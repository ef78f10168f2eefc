/**
 * Typed errors. UserError carries diagnostics that the CLI prints before exiting 1; UsageError exits 2;
 * anything else is an internal bug and is reported with its stack.
 */
import type { Diagnostic } from "./diagnostics.js";

export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(message: string, diagnostics: Diagnostic[] = []) {
    super(message);
    this.name = "UserError";
    this.diagnostics = diagnostics;
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
