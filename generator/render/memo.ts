/**
 * A bounded memo for pure renderers: the text a renderer makes for one input, kept so the same input
 * on another node (the same /etc/hosts, bootstrap script or firewall unit on 1,000 workers) is
 * stringified and compressed once. Renderers stay pure: a hit returns exactly what the call would
 * have returned.
 * Guarantees: keys are compared as whole strings (no hash collisions); the memo holds at most
 * `maxChars` characters of keys and values together and forgets everything when it would hold more,
 * so memory stays bounded whatever the cluster size (inputs unique to one node only cost a miss).
 */
export type Memo<V extends string> = (key: string, make: () => V) => V;

/** A memo of string values; 4 M characters (at most 8 MB) unless told otherwise. */
export function boundedMemo<V extends string>(maxChars = 4 * 1024 * 1024): Memo<V> {
  let held = new Map<string, V>();
  let chars = 0;
  return (key, make) => {
    const hit = held.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    const size = key.length + value.length;
    if (chars + size > maxChars) {
      held = new Map();
      chars = 0;
    }
    if (size <= maxChars) {
      held.set(key, value);
      chars += size;
    }
    return value;
  };
}
