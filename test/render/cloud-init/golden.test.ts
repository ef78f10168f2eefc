/**
 * Golden files of every node's cloud-init documents for the Debian example profiles. Randomness comes from a
 * seeded source (token, encryption key, serials); what still depends on the generated keys — PEM
 * bodies, base64 kubeconfig data, the discovery hash, the instance id derived from the user-data — is
 * replaced by placeholders before the comparison, so the goldens pin everything else byte for byte.
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateCluster } from "../../../generator/bundle/generate.js";
import { defaultKeyFactory } from "../../../generator/pki/keys.js";
import { PEM_PACK } from "../../../generator/render/cloud-init/pem-pack.js";
import { exampleProfile, TEST_CLOCK } from "../../helpers/generate.js";
import { pinBodies, type Bodies } from "../../helpers/script-bodies.js";
import { seededRandom } from "../../pki/support.js";

function placeholders(text: string): string {
  return text
    .replace(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, "-----BEGIN $1-----\n<PEM>\n-----END $1-----")
    .replace(/((?:certificate-authority|client-certificate|client-key)-data): \S+/g, "$1: <BASE64>")
    .replace(/sha256:[0-9a-f]{64}/g, "sha256:<HASH>")
    .replace(/(instance-id: kubeseed-[a-z0-9-]+-)[0-9a-f]{12}/g, "$1<DIGEST>")
    // the PEM pack's manifest (PEM_MANIFEST): offsets and lengths follow the DER of the keys and signatures
    .replace(/^(\s*)\d+ \d+ ([A-Z_]+ 0[0-7]{3} \S+ \/)/gm, "$1<OFFSET> <LENGTH> $2");
}

/** gz+b64 entries are unpacked so the golden shows what lands on the node (script bodies pinned apart) */
function readable(userData: string, bodies: Bodies): string {
  const doc = parse(userData);
  const unpacked = doc.write_files
    .filter((f: { encoding?: string; path: string }) => f.encoding === "gz+b64" && f.path !== PEM_PACK)
    .map((f: { path: string; content: string }) => `# ${f.path}\n${pinBodies(f.path, gunzipSync(Buffer.from(f.content, "base64")).toString("utf8"), bodies)}`);
  const packedAway = userData.replace(/(encoding: gz\+b64\n\s+content: )\S+/g, "$1<GZIP-BASE64, unpacked below>");
  return [packedAway, ...unpacked].join("\n");
}

describe.each(["dev", "prod", "external-ca", "external-etcd", "ingress"])("cloud-init goldens of %s", (name) => {
  it("matches every node's user-data, meta-data and network-config, and the node scripts' bodies", async () => {
    const g = await generateCluster(exampleProfile(name), undefined, { clock: TEST_CLOCK, random: seededRandom(`golden-${name}`), keys: defaultKeyFactory });
    const bodies: Bodies = new Map();
    for (const n of g.plan.nodes) {
      for (const doc of ["user-data", "meta-data", "network-config"]) {
        const a = g.bundle.artifacts.find((x) => x.path === `nodes/${n.node.name}/cloud-init/${doc}`)!;
        const text = a.contents as string;
        const shown = placeholders(doc === "user-data" ? readable(text, bodies) : text);
        await expect(shown).toMatchFileSnapshot(`golden/${name}/${n.node.name}/${doc}`);
      }
    }
    expect([...bodies.keys()].sort()).toContain("kubeseed-bootstrap");
    for (const [script, seen] of bodies) {
      expect(seen.size, `${script}: one body on every node`).toBe(1);
      await expect(placeholders([...seen][0])).toMatchFileSnapshot(`golden/${name}/${script}.body`);
    }
  });
});
