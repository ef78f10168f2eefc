/**
 * Goldens pin a generated script's body once per profile instead of once per node. kubeseed's node
 * scripts (kubeseed-bootstrap, kubeseed-renew-certs) begin with the node's own values and continue,
 * from the line `# --- overridable ---`, with a body that is the same on every node of a profile.
 * `pinBodies` cuts each such body out of a file's text (leaving the header and a pointer) and collects
 * it; the golden test then asserts that every node carried the same body and pins it in one file.
 */
export const BODY_MARK = "# --- overridable ---\n";

/** Script name → every body seen, for one profile. */
export type Bodies = Map<string, Set<string>>;

/** `text` of the file at `path`, with a script body replaced by a pointer to its pinned file. */
export function pinBodies(path: string, text: string, bodies: Bodies): string {
  const at = text.indexOf(BODY_MARK);
  if (!text.startsWith("#!") || at === -1) return text;
  const script = path.slice(path.lastIndexOf("/") + 1);
  if (!bodies.has(script)) bodies.set(script, new Set());
  bodies.get(script)!.add(text.slice(at));
  return `${text.slice(0, at)}<the rest: ${script}.body, the same on every node>\n`;
}
