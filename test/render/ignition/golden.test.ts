/**
 * Golden files of every node's Ignition config of profiles/coreos.yaml. Randomness comes from a seeded
 * source; what still depends on the generated keys — PEM bodies, base64 kubeconfig data, the discovery
 * hash — is replaced by placeholders. Inline contents are shown decoded below the config (the data URL
 * itself only says whether it is gzip, except for key material, where that depends on the key), so the goldens pin the structure, every path, mode, overwrite
 * flag, unit, user and remote file, and every file's text.
 */
import { describe, expect, it } from "vitest";
import { generateWithLock, coreosExample, decodeContents, ignitionOf, isRemote } from "../../helpers/ignition.js";
import { pinBodies, type Bodies } from "../../helpers/script-bodies.js";
import { seededRandom } from "../../pki/support.js";

function placeholders(text: string): string {
  return text
    .replace(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, "-----BEGIN $1-----\n<PEM>\n-----END $1-----")
    .replace(/((?:certificate-authority|client-certificate|client-key)-data): \S+/g, "$1: <BASE64>")
    .replace(/sha256:[0-9a-f]{64}/g, "sha256:<HASH>");
}

describe("Ignition goldens of coreos", () => {
  it("matches every node's ignition.json, and the node scripts' bodies", async () => {
    const g = await generateWithLock(coreosExample(), seededRandom("golden-coreos"));
    const bodies: Bodies = new Map();
    for (const n of g.plan.nodes) {
      const cfg = ignitionOf(g, n.node.name);
      const texts: string[] = [];
      for (const f of cfg.storage.files) {
        if (isRemote(f)) continue;
        const text = decodeContents(f.contents);
        texts.push(`# ${f.path}\n${pinBodies(f.path, text, bodies)}`);
        // whether key material compresses depends on the key: such files show no encoding choice
        const keyDependent = /-----BEGIN |-data: |sha256:[0-9a-f]{64}/.test(text);
        f.contents = keyDependent ? { source: "<data URL of key material, text below>" } : { ...f.contents, source: "<data URL, text below>" };
      }
      const shown = placeholders([JSON.stringify(cfg, null, 2), ...texts].join("\n"));
      await expect(shown).toMatchFileSnapshot(`golden/coreos/${n.node.name}.ignition`);
    }
    expect([...bodies.keys()]).toContain("kubeseed-bootstrap");
    for (const [script, seen] of bodies) {
      expect(seen.size, `${script}: one body on every node`).toBe(1);
      await expect(placeholders([...seen][0])).toMatchFileSnapshot(`golden/coreos/${script}.body`);
    }
  });
});
