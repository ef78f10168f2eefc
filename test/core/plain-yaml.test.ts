/**
 * plainYaml against yaml itself: whenever plainYaml answers, its text is yaml's for the same data and
 * options. Random documents (seeded, so a failure reproduces) mix what it writes with what it must
 * leave to yaml; a floor on the documents it answered keeps the comparison from passing by declining.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { plainText, plainYaml } from "../../generator/core/plain-yaml.js";
import { YAML_OPTIONS } from "../../generator/render/yaml.js";
import { renderKubeconfig } from "../../generator/render/kubeconfig.js";
import { readFileSync } from "node:fs";
import { parseSecrets } from "../../generator/pki/secrets.js";

const yaml = (data: unknown) => stringify(data, YAML_OPTIONS);

/** mulberry32: a small seeded generator */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings at and around the edges of what yaml writes plain. */
const TRICKY = [
  "", " ", "a", "A-b_c", "true", "True", "TRUE", "tRUE", "false", "null", "Null", "NULL", "~", "yes", "no", "on", "off", "y",
  "0", "12", "-3", "+4", "0o17", "0o19", "0x1F", "0xg", "1.5", ".5", "5.", "1e3", "1.2.3", "10.0.0.1", "10.244.0.0/16", ".inf", "-.Inf", ".nan",
  "a: b", "a:b", "a:", ":a", "a #b", "a#b", "#a", "a ", " a", "a  b", "-", "-a", "- a", "?", "?a", "? a", "---", "...", "%a", "@a", "a@b",
  "`a", "'a", "a'b", '"a', 'a"b', "!a", "&a", "*a", "|", ">", "[a]", "{a}", "a,b", "(a)", "a\nb", "a\tb", "é", "a\u0000", "=a", "/a/b",
  "unix:///run/containerd/containerd.sock", "https://10.0.0.1:6443", "system:node:worker-1@kubernetes", "sha256:00ff", "ALL=(ALL) NOPASSWD:ALL",
  "<<", "a".repeat(1100), "x".repeat(40) + "=", "+a", "+5", "+.5", "+.inf",
  // multi-line: a literal block as a map's value, yaml's otherwise
  "a\nb\n", "ab\ncd\n", "-----BEGIN X-----\nAAA+/=\n-----END X-----\n", "ab\n\ncd\n", "ab\n  \ncd\n", "ab \ncd\n", "a\tb\ncd\n", "#a\nbc\n",
  " a\nbc\n", "ab\ncd \n", "ab\ncd\n\n", "ab\ncd", "ab\n", "\nab\n", "ab\n\tcd\n", "ab\n- cd\n", "ab\n---\ncd\n", "ab\né\n",
];

function randomString(r: () => number): string {
  if (r() < 0.6) return TRICKY[Math.floor(r() * TRICKY.length)];
  const alphabet = "abcXYZ019_-./:@ #'\"=~+(){}[],!&*?%|>\n\n\t";
  let s = "";
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return r() < 0.3 ? s + "\n" : s;
}

function randomScalar(r: () => number): unknown {
  const pick = r();
  if (pick < 0.55) return randomString(r);
  if (pick < 0.7) return [0, 1, -1, 42, 2 ** 53, -0, 0.5, 1e21, NaN, Infinity][Math.floor(r() * 10)];
  if (pick < 0.8) return r() < 0.5;
  if (pick < 0.88) return null;
  if (pick < 0.94) return undefined;
  return [new Date(0), Symbol("s"), () => 1, 10n][Math.floor(r() * 4)];
}

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth <= 0 || pick < 0.45) return randomScalar(r);
  const n = Math.floor(r() * 4);
  if (pick < 0.72) return Array.from({ length: n }, () => randomValue(r, depth - 1));
  const m: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) m[r() < 0.8 ? `k${Math.floor(r() * 50)}-${i}` : randomString(r)] = randomValue(r, depth - 1);
  return m;
}

describe("plainYaml", () => {
  it("equals yaml for every random document it writes, and writes most of the plain ones", () => {
    let answered = 0;
    let literals = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const r = random(seed);
      const doc = r() < 0.5 ? randomValue(r, 4) : { apiVersion: "v1", kind: "K", spec: randomValue(r, 3) };
      const fast = plainYaml(doc);
      if (fast === undefined) continue;
      answered++;
      if (fast.includes(": |\n")) literals++;
      expect(fast, `seed ${seed}`).toBe(yaml(doc));
    }
    expect(answered).toBeGreaterThan(1000);
    expect(literals).toBeGreaterThan(50);
  });

  it.each(TRICKY)("a string as key, value and item: written plain only as yaml writes it (%j)", (s) => {
    for (const doc of [{ k: s }, { [s]: 1 }, [s], { k: [s] }, [{ k: s, l: [s] }], [[s]]]) {
      const fast = plainYaml(doc);
      if (fast !== undefined) expect(fast).toBe(yaml(doc));
    }
    // plainText is the claim that yaml writes it plain: check it directly
    if (plainText(s)) expect(yaml({ k: s })).toBe(`k: ${s}\n`);
  });

  it("writes a kubeconfig, empty collections and left-out pairs as yaml does", () => {
    const docs = [
      { a: {}, b: [], c: { d: undefined }, e: [{}, [], null], f: true, g: 7, h: undefined },
      {},
      [],
      [[1, [2, { x: [[]] }]], { y: { z: [{ w: "v" }] } }],
      { users: [{ name: "n", user: { token: "abc.def" } }], "current-context": "n@c", preferences: {} },
      { cas: { kubernetes: { cert: "-----BEGIN CERTIFICATE-----\nMIIB+/=\n\nAAAA\n-----END CERTIFICATE-----\n" } }, list: [{ script: "#!/bin/sh\n  echo hi\n" }] },
    ];
    for (const doc of docs) expect(plainYaml(doc)).toBe(yaml(doc));
    const kubeconfig = renderKubeconfig({
      clusterName: "c",
      server: "https://api.example.internal:6443",
      caCertPem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      userName: "system:node:worker-1",
      clientCertPem: "cert",
      clientKeyPem: "key",
    });
    expect(kubeconfig).toContain("client-certificate-data: Y2VydA==\n");
  });

  it("writes the frozen secrets file's data (PEMs as literal blocks) as yaml does", () => {
    const file = new URL("../fixtures/secrets-v1.yaml", import.meta.url);
    const data = { ...parseSecrets(readFileSync(file, "utf8"), "secrets-v1.yaml") };
    const fast = plainYaml(data);
    expect(fast).toContain("    cert: |\n      -----BEGIN CERTIFICATE-----\n");
    expect(fast).toBe(yaml(data));
  });

  it("gives yaml's text or declines for objects yaml reads another way: iterators, symbol keys, inherited pairs, getters", () => {
    let reads = 0;
    const getter = { k: { get a() { return reads++ === 0 ? 1 : undefined; } } };
    const seqLike = { k: { a: 1, *[Symbol.iterator]() { yield 5; } } };
    const customArray = Object.assign([1, 2], { [Symbol.iterator]: function* () { yield 9; } });
    const nodeMarked = { k: { [Symbol.for("yaml.node.type")]: "x", a: 1 } };
    for (const doc of [getter, seqLike, { k: customArray }, nodeMarked, JSON.parse('{"__proto__": {"a": 1}, "b": 2}')]) {
      reads = 0;
      const fast = plainYaml(doc);
      reads = 0;
      if (fast !== undefined) expect(fast).toBe(yaml(doc));
    }
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.inherited = 1;
    try {
      expect(plainYaml({ k: { a: undefined } })).toBe(yaml({ k: { a: undefined } }));
    } finally {
      delete polluted.inherited;
    }
  });

  it("leaves to yaml what it does not write: multi-line and quoted strings, floats, long keys, class instances, scalars", () => {
    for (const doc of [{ a: "x\ny" }, ["xy\nzw\n"], { a: "a: b" }, { a: 0.5 }, { ["k".repeat(1100)]: 1 }, { a: new Date(0) }, "text", 1, null, [1, , 3]]) {
      expect(plainYaml(doc)).toBeUndefined();
    }
  });
});
