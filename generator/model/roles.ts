/**
 * Node roles as predicates, in one place: which nodes are control planes, for the validation rules (on
 * the raw document, where a role may be anything yet), the model, the plan, the renderers and the report.
 * Guarantees: pure; lists keep the nodes' order (profile order: the first control plane is the init node).
 */

/** True for a control-plane node (of the model, the profile, or the report). */
export function isControlPlane(n: { role?: unknown }): boolean {
  return n.role === "control-plane";
}

/** The control-plane nodes of `nodes`, in their order. */
export function controlPlanesOf<T extends { role?: unknown }>(nodes: readonly T[]): T[] {
  return nodes.filter(isControlPlane);
}
