/**
 * The buffers that postMessage can move to another thread (its transfer list) instead of copying:
 * a large seed ISO or archive moved costs nothing; copied, the sending thread serializes it and the
 * receiving one allocates and fills it again (0.4 s of CPU for the 140 MB a `--format all` run at
 * 3 + 1,000 nodes sends to its writer thread).
 * Guarantees: only the buffer of a bytes object that views all of it (a view of part of a larger
 * buffer, such as one of Node's pooled small Buffers, would take the rest with it), never a
 * SharedArrayBuffer, each buffer once. A moved bytes object is empty afterwards: callers move only
 * what nothing else reads.
 */
export function movableBuffers(contents: Iterable<string | Uint8Array>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of contents) {
    if (typeof c !== "string" && c.buffer instanceof ArrayBuffer && c.byteOffset === 0 && c.byteLength === c.buffer.byteLength) out.add(c.buffer);
  }
  return [...out];
}
