/**
 * The change summary of a generation as the terminal shows it (after `gen`, and as `gen plan`'s
 * answer): bundle/changes-text.ts sections as plain text, first line saying whether anything changed.
 */
import type { Streamed } from "../../bundle/generate.js";
import { changesText, reportSections } from "../../bundle/changes-text.js";
import { hasChanges } from "../../bundle/changes.js";

export function summaryText(g: Streamed): string {
  return changesText(g.changes, reportSections(g.changes, g.report.nodes), hasChanges(g.changes));
}
