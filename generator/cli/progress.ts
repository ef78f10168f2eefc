/**
 * Progress on stderr for long runs (core/progress.ts events). On a terminal: ONE line that updates in
 * place (carriage return + erase line), redrawn only when a stage's percentage changes, erased at the
 * end so the summary lines that follow stand alone; the stage name in bold unless NO_COLOR is set (any
 * value but empty, no-color.org) or TERM is dumb. Not a terminal (pipes, CI logs): one plain line per
 * finished stage, never escape codes.
 * Guarantees: writes only to the stream given; never to stdout; `end()` leaves the cursor at the start
 * of an empty line. Does not: time anything (the CLI's summary says how long the run took).
 */
import type { ProgressEvent, ProgressSink } from "../core/progress.js";
import { messages } from "../core/messages.js";

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressReporter {
  sink: ProgressSink;
  /** erases the live line (terminal) */
  end(): void;
}

const ERASE = "\r\x1b[2K";

export function progressReporter(stream: ProgressStream, env: Record<string, string | undefined>): ProgressReporter {
  const live = !!stream.isTTY && env.TERM !== "dumb";
  const color = live && !env.NO_COLOR;
  let shown = "";
  let drawn = false;
  const sink = (e: ProgressEvent) => {
    if (!live) {
      if (e.done === e.total) stream.write(messages.cli.progressDone(e.stage, e.total));
      return;
    }
    const key = `${e.stage}:${Math.floor((100 * e.done) / Math.max(1, e.total))}`;
    if (key === shown) return;
    shown = key;
    const stage = color ? `\x1b[1m${e.stage}\x1b[22m` : e.stage;
    stream.write(ERASE + messages.cli.progressLive(stage, e.done, e.total));
    drawn = true;
  };
  return {
    sink,
    end: () => {
      if (drawn) stream.write(ERASE);
      drawn = false;
    },
  };
}
