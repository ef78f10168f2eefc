/**
 * Derived decisions that the validation rules (on the raw document, profile/rules-*.ts) and the model
 * (model/build.ts) both make, each as one small pure function over the possibly partial input, so the
 * rules check exactly what the model will decide.
 * Guarantees: pure; no defaults other than model/defaults.ts.
 */
import { DEFAULTS } from "./defaults.js";

/** What the VIP balancer decision reads: whether the endpoint has a VIP, and how many control planes there are. */
export interface BalancerFacts {
  vip: boolean;
  controlPlanes: number;
}

/** A VIP balancer (keepalived + haproxy on the control planes) can run: a VIP and two or more control planes. */
export function balancerPossible(f: BalancerFacts): boolean {
  return f.vip && f.controlPlanes >= 2;
}

/** The balancer runs: it can, and spec.controlPlane.loadBalancer (`mode`, defaulted) is not `none`. */
export function balancerRuns(f: BalancerFacts & { mode: string }): boolean {
  return balancerPossible(f) && f.mode !== "none";
}

/** A node's OS: its own nodes[].os, else spec.host.os, else the default (Debian). */
export function nodeOsOf<T extends string>(nodeOs: T | undefined, hostOs: T | undefined): T | typeof DEFAULTS.os {
  return nodeOs ?? hostOs ?? DEFAULTS.os;
}

/**
 * The ingress NodePorts: the profile's, else 30080 / 30443 where the NodePort range holds them, else the
 * range's first two ports.
 */
export function ingressNodePorts(given: { http?: number; https?: number }, range: { from: number; to: number }): { http: number; https: number } {
  const inRange = (p: number) => p >= range.from && p <= range.to;
  return {
    http: given.http ?? (inRange(DEFAULTS.ingressHttpNodePort) ? DEFAULTS.ingressHttpNodePort : range.from),
    https: given.https ?? (inRange(DEFAULTS.ingressHttpsNodePort) ? DEFAULTS.ingressHttpsNodePort : range.from + 1),
  };
}
