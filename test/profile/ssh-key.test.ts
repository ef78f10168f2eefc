/** SSH public key lines: every supported type parses; broken ones say why. */
import { describe, expect, it } from "vitest";
import { sshKeyProblem, SSH_KEY_TYPES } from "../../generator/profile/ssh-key.js";

// public keys made with ssh-keygen for this test
const VALID = [
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q administrator@bakraid.xyz",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICZ2AHLsw8ooaquAHWDDovecit9FRo3RfrbQOBaaYGGs",
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQD0Gllxd7FzQ0GlNaZH7jb2mCDpMRyIYqDlHlNY17s5pDoRi9wTCQVc159MIYZ7W4fR9+oB5VJDJHoKvJ+cnckH7alpZg3tj6UCHKCuCxhWa2jpXWAtQ53l0P0tOp49u9/kujGgUudtwm+cGhr/Sxf46aF02wl60X0bmSHoHqKtmfXgVkiM7N/zLcl1UIsfyuEwA0FPUxwEwV+UvXWe5C8U0vcKi+qvz8/PqBKeB8J0e5y6pPPF+yvAfoOmeMo4qdNnbIkUJIvCkPwR6MV/HbTN7t9fryaSJzxHvVy2bpz39kCXV/LLzYKNMMVyX6GzH12ha0EN1yKRayypQGRUp+Fh test@kubeseed",
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL6ZmrT7eDrhXWsMCx982YJU4RMYoFP+bMBIZwa4BuQfZWw0GNF17Fp9qTgPFDWiq8aXWF0sCAIqcGKDTAEbcZI= test@kubeseed",
  "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBHu2ES8D6eAb3AyhpLDOmXiV9ZZKFL2Ej/EKO3X6yWj2w134NIi0Fy/LjccdrGhWEzauQZ4mEHEqXHB6aW2MD8G3p3hgLHEFNQ8Lj7t03udpeZgBnSyZAuDkQ+zLbJDlRw== test@kubeseed",
  "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBABwNBKgU834x5GqCyqqygz9x2T3ealXok0qPwyrrwIlxFxCdE5Eje6ADdoDI/DvvFW9uaAnfwebjxLXKAWs5BukDwG70xT8vDP/rkqkR8GZff8IoCTnIF4Sb6fIP4bxwSvZLH3nJ6si4BagDSgeGQVM1yDa0AdonwtZhZE8PRC/rLuK0Q== test@kubeseed",
  sk("sk-ssh-ed25519@openssh.com", [new Uint8Array(32), "ssh:"]),
  sk("sk-ecdsa-sha2-nistp256@openssh.com", ["nistp256", new Uint8Array(65), "ssh:"]),
];

/** A key line built from its wire fields (for the security-key types, which ssh-keygen needs hardware for). */
function sk(type: string, fields: (string | Uint8Array)[]): string {
  const parts = [type, ...fields].map((f) => (typeof f === "string" ? new TextEncoder().encode(f) : f));
  const out: number[] = [];
  for (const p of parts) out.push((p.length >>> 24) & 255, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255, ...p);
  return `${type} ${btoa(String.fromCharCode(...out))} yubikey`;
}

describe("sshKeyProblem", () => {
  it.each(VALID)("accepts %s", (line) => expect(sshKeyProblem(line)).toBeUndefined());

  it("covers every supported type", () => {
    expect(new Set(VALID.map((l) => l.split(" ")[0]))).toEqual(new Set(SSH_KEY_TYPES));
  });

  const ed = VALID[0].split(" ")[1];
  it.each([
    ["", "empty"],
    ["ssh-dss AAAAB3NzaC1kc3MAAACBAP", 'unknown SSH key type "ssh-dss"'],
    ["ssh-ed25519", "no base64 key data"],
    ["ssh-ed25519 not*base64", "not valid base64"],
    [`ssh-rsa ${ed}`, "the key type is ssh-rsa but its data is for ssh-ed25519"],
    [`ssh-ed25519 ${ed.slice(0, 64)}`, "truncated or malformed"],
    [`ecdsa-sha2-nistp384 ${VALID[3].split(" ")[1]}`, "its data is for ecdsa-sha2-nistp256"],
    [`ssh-ed25519 ${btoa("garbage-garbage!")}`, "truncated or malformed"],
    [`ssh-ed25519 ${btoa("\0\0\0\x02\x01\x02")}`, "does not start with a key type"],
  ])("rejects %j: %s", (line, reason) => expect(sshKeyProblem(line)).toContain(reason));
});
