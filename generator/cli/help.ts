/**
 * Help and version texts (stdout). Kept free of heavy imports so `gen --help` is instant.
 */
import { createRequire } from "node:module";

export function versionText(): string {
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return `kubeseed ${pkg.version}\n`;
}

export function helpText(): string {
  return `kubeseed — offline generator of self-provisioning Kubernetes nodes

Usage:
  gen --profile NAME [options]        generate output/NAME/ from profiles/NAME.yaml
  gen validate --profile NAME [--json]  check a profile and report every problem
  gen plan --profile NAME             what gen would change in output/NAME/ and the secrets
                                      file, written nowhere (exit 3 when anything would change)
  gen certs check --profile NAME      every certificate of the secrets file: holder, not-after,
                                      days left (exit 1 when one expires within pki.renewBefore)
  gen secrets rotate-ca --profile NAME
                                      the CA rotation plan (renders applied in order)
  gen schema [--out FILE]             (re)write schemas/profile.schema.json
  gen secrets import --from-pki DIR --profile NAME [--secrets FILE]
                                      make the secrets file from an existing kubeadm
                                      /etc/kubernetes/pki (CAs with or without keys, sa pair)
  gen --help | --version

NAME is a profile name (profiles/NAME.yaml) or a path to a profile file.

Options:
  -p, --profile NAME   the cluster profile
  -o, --out DIR        output directory (default output/NAME)
      --secrets FILE   secrets file, created on the first run and reused after
                       (default secrets/NAME.yaml; keep it safe, it holds the CA keys)
      --check          validate and plan, write nothing
      --force          write beside files kubeseed did not write (they are kept)
      --rewrite        generate and write even when the output is up to date
                       (same inputs as the run that wrote it, files unchanged)
      --strict         treat warnings as errors
      --format FMT     dir (default): the output directory; iso: it plus
                       nodes/NODE/seed.iso, a NoCloud seed ISO per cloud-init node;
                       tar.gz | zip: it plus output/NAME.tar.gz or .zip and
                       nodes/NODE.tar.gz per node (reproducible); all: every one
      --cloud CLOUD    size budget of every node's user-data: none, aws, hetzner,
                       azure, digitalocean, openstack, gcp (default: spec.cloud);
                       user-data is written in the form that cloud accepts
      --json           (validate) the diagnostics as JSON on stdout

Progress goes to stderr: one updating line on a terminal (NO_COLOR: no bold),
plain lines otherwise.
  -h, --help           show this help
  -v, --version        show the version

Exit codes: 0 ok, 1 invalid input, failed generation or (certs check) a certificate
inside the renewal window, 2 usage error, 3 (plan) something would change.
`;
}
