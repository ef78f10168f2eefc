/**
 * Every exit status of `gen`, decided here and nowhere else (STYLE rule 7); cli/main.ts maps errors to
 * them, commands return them.
 * - ok 0: success; `gen plan`: nothing would change; `gen certs check`: nothing expires within the window.
 * - failed 1: invalid input or failed generation, after every problem was printed; `gen certs check`:
 *   a certificate or CA expires within the renewal window (or has expired).
 * - usage 2: the command line itself is wrong.
 * - changes 3: `gen plan` only: a run would change the output or the secrets file.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, changes: 3 } as const;
