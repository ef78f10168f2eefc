/**
 * The change summary of a generation as the terminal shows it (after `gen`, and as `gen plan`'s
 * answer): bundle/changes-text.ts sections as plain text, first line saying whether anything changed.
 */
import type { Streamed } from "../../bundle/generate.js";
import { changeSections, changesText } from "../../bundle/changes-text.js";
import { hasChanges } from "../../bundle/changes.js";
import { nodeDir } from "../../core/layout.js";
import { isControlPlane } from "../../model/roles.js";

export function summaryText(g: Streamed): string {
  const info = (node: string) => g.report.nodes.find((n) => n.name === node) ?? { document: `${nodeDir(node)}/`, join: "token" as const };
  const cp = g.model.nodes.find(isControlPlane)?.name;
  return changesText(g.changes, changeSections(g.changes, info, cp), hasChanges(g.changes));
}
