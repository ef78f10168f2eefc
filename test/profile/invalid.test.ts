/**
 * Table of invalid profiles → the exact diagnostics: code, formatted path and line (STYLE: profile
 * tests). Most rows edit lines of test/fixtures/profiles/valid.yaml, so the line numbers are that
 * file's; rows with a `fixture` load a whole file of test/fixtures/profiles/invalid/. Each row lists
 * every diagnostic expected, so a rule that fires twice or a missing location fails the row.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES, load, summary, variant } from "./support.js";

type Edits = readonly (readonly [string, string])[];
type Row = [title: string, input: Edits | { fixture: string }, expected: string[]];

const KEY = "      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q administrator@bakraid.xyz";
const ROLE_CP = "      role: control-plane";

const rows: Row[] = [
  // YAML
  ["tab indentation", [["    vlan: 100", "\tvlan: 100"]], ["yaml-syntax <root> 14"]],
  ["duplicate key", [["    vlan: 100", "    vlan: 100\n    vlan: 101"]], ["yaml-syntax <root> 15"]],
  ["two duplicate keys are both reported", [["    vlan: 100", "    vlan: 100\n    vlan: 101"], ["    uid: 1000", "    uid: 1000\n    uid: 1001"]], ["yaml-syntax <root> 15", "yaml-syntax <root> 42"]],
  ["unclosed flow list", { fixture: "invalid/unclosed.yaml" }, ["yaml-syntax <root> 8"]],
  ["unclosed quote (reported at the quote, not at the end of the file)", { fixture: "invalid/quote.yaml" }, ["yaml-syntax <root> 4"]],
  ["empty file", { fixture: "invalid/empty.yaml" }, ["invalid-type <root> 1"]],
  ["root is a list (it does not say it is a profile: nothing of it is shown)", { fixture: "invalid/list.yaml" }, ["not-a-profile <root> 1"]],
  ["extends is not a string", [["kind: ClusterProfile", "kind: ClusterProfile\nextends: [a.yaml]"]], ["invalid-type extends 4"]],
  // unknown keys
  // interfaces and ports (host network rules)
  ["public NIC is the private NIC without a VLAN", [["    vlan: 100", "    publicInterface: eth1"]], ["same-interface spec.network.publicInterface 14"]],
  ["endpoint port is the apiserver's while haproxy serves the VIP", [["      port: 8443", "      port: 6443"]], ["endpoint-port-clash spec.controlPlane.endpoint.port 20"]],
  ["default balancer port moved onto the apiserver's", [["      port: 8443", ""], ["    bindPort: 6443", "    bindPort: 8443"]], ["endpoint-port-clash spec.controlPlane.bindPort 21"]],
  ["same ports are fine with an external balancer", [["      port: 8443", "      port: 6443"], ["    bindPort: 6443", "    bindPort: 6443\n    loadBalancer: none"]], []],
  ["balancer without a VIP is ignored", [["      vip: 192.168.1.10", ""], ["    bindPort: 6443", "    bindPort: 6443\n    loadBalancer: static-pods"]], ["warning:load-balancer-unused spec.controlPlane.loadBalancer 22"]],
  ["airgap without the registry's address", [["      groups: [developers]", "      groups: [developers]\n  registry:\n    mode: airgap"]], ["registry-address spec.registry.mode 54"]],
  ["registry prefix with an upper-case letter", [["      groups: [developers]", "      groups: [developers]\n  registry:\n    prefix: K8s"]], ["invalid-value spec.registry.prefix 54"]],
  ["unknown registry add-on", [["      groups: [developers]", "      groups: [developers]\n  registry:\n    addons: [traefik]"]], ["invalid-value spec.registry.addons[0] 54"]],
  ["package server on the registry's port", [["      groups: [developers]", "      groups: [developers]\n  registry:\n    mode: airgap\n    address: 192.168.1.5\n    packagesPort: 443"]], ["registry-port-clash spec.registry.packagesPort 56"]],
  ["registry moved onto the default package port", [["      groups: [developers]", "      groups: [developers]\n  registry:\n    mode: airgap\n    address: 192.168.1.5\n    port: 8080"]], ["registry-port-clash spec.registry.port 56"]],
  ["package path without the closing slash", [["      groups: [developers]", "      groups: [developers]\n  registry:\n    packagesPath: /debs"]], ["invalid-value spec.registry.packagesPath 54"]],
  // seed options (profile/rules-options.ts)
  ["external-CA mode with control-plane certificates issued on the node", [["    workerKubelet: bootstrap-token", "    controlPlaneCertificates: on-node\n    externalCA: true"]], ["external-ca-on-node spec.pki.controlPlaneCertificates 49"]],
  ["external-CA mode with bootstrap-token workers", [["    workerKubelet: bootstrap-token", "    workerKubelet: bootstrap-token\n    externalCA: true"]], ["external-ca-kubelet spec.pki.workerKubelet 49"]],
  ["an etcd member on Flatcar", [["        zone: a", "        zone: a\n    - name: etcd-1\n      role: etcd\n      address: 192.168.1.31\n      os: flatcar"]], ["os-etcd spec.nodes[4].role 39"]],
  [
    "two etcd members, one with labels",
    [["        zone: a", "        zone: a\n    - name: etcd-1\n      role: etcd\n      address: 192.168.1.31\n      labels: {a: b}\n    - name: etcd-2\n      role: etcd\n      address: 192.168.1.32"]],
    ["warning:even-etcd-members spec.nodes 22", "warning:etcd-node-field spec.nodes[4].labels 41"],
  ],
  ["ingress NodePort outside the NodePort range", [["      groups: [developers]", "      groups: [developers]\n  ingress:\n    httpNodePort: 20000"]], ["ingress-node-port spec.ingress.httpNodePort 54"]],
  ["ingress HTTP and HTTPS on one NodePort", [["      groups: [developers]", "      groups: [developers]\n  ingress:\n    httpNodePort: 30080\n    httpsNodePort: 30080"]], ["ingress-node-port spec.ingress.httpsNodePort 55"]],
  [
    "ingress without a node to run on (no worker, every control plane tainted)",
    [["      role: worker", "      role: control-plane"], ["      groups: [developers]", "      groups: [developers]\n  ingress: {}"]],
    ["warning:even-control-planes spec.nodes 22", "warning:ingress-unschedulable spec.ingress 53"],
  ],
  ["ingress on an untainted control plane without a worker is fine", [["      role: worker", "      role: control-plane\n      taints: []"], ["    - name: cp-2", "    - name: cp-0\n      role: control-plane\n      address: 192.168.1.14\n    - name: cp-2"], ["      groups: [developers]", "      groups: [developers]\n  ingress: {}"]], []],
  ["package key that is not an armored public key", [["      groups: [developers]", "      groups: [developers]\n  registry:\n    packagesKey: ABCD1234"]], ["invalid-value spec.registry.packagesKey 54"]],
  ["NodePort range reversed", [["    serviceCIDR: 10.96.0.0/12", "    serviceCIDR: 10.96.0.0/12\n    nodePortRange: 32767-30000"]], ["port-range spec.kubernetes.nodePortRange 11"]],
  ["NodePort range holds the API port", [["    serviceCIDR: 10.96.0.0/12", "    serviceCIDR: 10.96.0.0/12\n    nodePortRange: 6000-7000"]], ["port-range spec.kubernetes.nodePortRange 11"]],
  ["unknown key with a near miss", [["    interface: eth1", "    interfce: eth1"]], ["unknown-key spec.network.interfce 13"]],
  ["unknown top-level key", [["kind: ClusterProfile", "kind: ClusterProfile\nlabels: {}"]], ["unknown-key labels 4"]],
  ["misspelled section: unknown key and missing section", [["  network:", "  netwrk:"]], ["missing-field spec.network 6", "unknown-key spec.netwrk 11"]],
  ["unknown key in a list item", [["      address: 192.168.1.12", "      adress: 192.168.1.12"]], ["missing-field spec.nodes[1].address 27", "unknown-key spec.nodes[1].adress 29"]],
  // missing fields point at the parent mapping's key (or list item)
  ["missing version", [["    version: v1.33.5", ""]], ["missing-field spec.kubernetes.version 7"]],
  ["missing admin uid", [["    uid: 1000", ""]], ["missing-field spec.admin.uid 38"]],
  ["missing node address", [["      address: 192.168.1.13", ""]], ["missing-field spec.nodes[2].address 30"]],
  ["missing enum field", [["      role: worker", ""]], ["missing-field spec.nodes[3].role 33"]],
  ["missing apiVersion (points at the document's first key)", [["apiVersion: kubeseed/v1", ""]], ["missing-field apiVersion 3"]],
  // types
  ["list where a number is expected", [["    vlan: 100", "    vlan: [100]"]], ["invalid-type spec.network.vlan 14"]],
  ["empty value", [["    vlan: 100", "    vlan:"]], ["invalid-type spec.network.vlan 14"]],
  ["quoted number", [["    bindPort: 6443", '    bindPort: "6443"']], ["invalid-type spec.controlPlane.bindPort 21"]],
  ["number where a string is expected", [["      host: k8s-api.test.internal", "      host: 42"]], ["invalid-type spec.controlPlane.endpoint.host 18"]],
  ["non-integer uid", [["    gid: 1000", "    gid: 1000.5"]], ["invalid-type spec.admin.gid 41"]],
  // enums and literals
  ["role typo", [["      role: worker", "      role: wroker"]], ["invalid-enum spec.nodes[3].role 34"]],
  ["unknown key algorithm", [["    keyAlgorithm: ecdsa-p256", "    keyAlgorithm: ed25519"]], ["invalid-enum spec.pki.keyAlgorithm 45"]],
  ["wrong apiVersion", [["apiVersion: kubeseed/v1", "apiVersion: v1"]], ["invalid-value apiVersion 2"]],
  // per-field syntax
  ["address not IPv4", [["      address: 192.168.1.11", "      address: 10.0.0.300"]], ["invalid-value spec.nodes[0].address 25"]],
  ["CIDR prefix too long", [["    cidr: 192.168.1.0/24", "    cidr: 192.168.1.0/33"]], ["invalid-value spec.network.cidr 12"]],
  ["node name not RFC 1123", [["    - name: cp-2", "    - name: CP_2"]], ["invalid-value spec.nodes[1].name 27"]],
  ["version without v", [["    version: v1.33.5", "    version: 1.33.5"]], ["invalid-value spec.kubernetes.version 8"]],
  ["bad duration", [["    caValidity: 87600h", "    caValidity: 10y"]], ["invalid-value spec.pki.caValidity 46"]],
  ["bad label key", [["        zone: a", "        -zone: a"]], ["invalid-value spec.nodes[3].labels.-zone 37"]],
  // integer ranges
  ["uid above 60000", [["    uid: 1000", "    uid: 70000"]], ["out-of-range spec.admin.uid 40"]],
  ["vlan 4095", [["    vlan: 100", "    vlan: 4095"]], ["out-of-range spec.network.vlan 14"]],
  ["port 0", [["      port: 8443", "      port: 0"]], ["out-of-range spec.controlPlane.endpoint.port 20"]],
  ["bindPort 65536", [["    bindPort: 6443", "    bindPort: 65536"]], ["out-of-range spec.controlPlane.bindPort 21"]],
  ["no SSH key", [["    sshKeys:", "    sshKeys: []"], [KEY, ""]], ["too-few-items spec.admin.sshKeys 42"]],
  // semantic rules
  ["duplicate node name", [["    - name: cp-3", "    - name: cp-1"]], ["duplicate-node-name spec.nodes[2].name 30"]],
  ["duplicate address", [["      address: 192.168.1.21", "      address: 192.168.1.12"]], ["duplicate-address spec.nodes[3].address 35"]],
  ["public address equal to another node's address", [["      publicAddress: 203.0.113.11", "      publicAddress: 192.168.1.13"]], ["duplicate-address spec.nodes[2].address 32"]],
  ["address outside the node network", [["      address: 192.168.1.21", "      address: 192.168.2.21"]], ["address-outside-network spec.nodes[3].address 35"]],
  ["network address", [["      address: 192.168.1.21", "      address: 192.168.1.0"]], ["address-reserved spec.nodes[3].address 35"]],
  ["broadcast address", [["      address: 192.168.1.21", "      address: 192.168.1.255"]], ["address-reserved spec.nodes[3].address 35"]],
  ["VIP outside the node network", [["      vip: 192.168.1.10", "      vip: 10.0.0.10"]], ["vip-outside-network spec.controlPlane.endpoint.vip 19"]],
  ["VIP equal to a node address", [["      vip: 192.168.1.10", "      vip: 192.168.1.11"]], ["vip-conflict spec.controlPlane.endpoint.vip 19"]],
  ["gateway outside the node network", [["    gateway: 192.168.1.1", "    gateway: 192.168.2.1"]], ["gateway-outside-network spec.network.gateway 15"]],
  ["CIDR with host bits", [["    cidr: 192.168.1.0/24", "    cidr: 192.168.1.5/24"]], ["cidr-not-network spec.network.cidr 12"]],
  ["pod CIDR overlaps the node network", [["    podCIDR: 10.244.0.0/16", "    podCIDR: 192.168.0.0/16"]], ["cidr-overlap spec.kubernetes.podCIDR 9"]],
  ["service CIDR overlaps the pod CIDR", [["    serviceCIDR: 10.96.0.0/12", "    serviceCIDR: 10.244.16.0/20"]], ["cidr-overlap spec.kubernetes.serviceCIDR 10"]],
  ["default service CIDR overlaps the pod CIDR", [["    serviceCIDR: 10.96.0.0/12", ""], ["    podCIDR: 10.244.0.0/16", "    podCIDR: 10.100.0.0/16"]], ["cidr-overlap spec.kubernetes.podCIDR 9"]],
  ["no control plane", [[ROLE_CP, "      role: worker"]], ["no-control-plane spec.nodes 22"]],
  ["HA without endpoint host or vip", [["      host: k8s-api.test.internal", ""], ["      vip: 192.168.1.10", ""]], ["endpoint-required spec.controlPlane.endpoint 17"]],
  ["HA without controlPlane section", [["  controlPlane:", ""], ["    endpoint:", ""], ["      host: k8s-api.test.internal", ""], ["      vip: 192.168.1.10", ""], ["      port: 8443", ""], ["    bindPort: 6443", ""]], ["endpoint-required spec.controlPlane.endpoint 6"]],
  ["unsupported patch", [["    version: v1.33.5", "    version: v1.33.99"]], ["unsupported-version spec.kubernetes.version 8"]],
  ["unsupported minor", [["    version: v1.33.5", "    version: v1.27.3"]], ["unsupported-version spec.kubernetes.version 8", "warning:ecdsa-renewal-gate spec.pki.keyAlgorithm 45"]],
  ["ecdsa-p384 before 1.34", [["    keyAlgorithm: ecdsa-p256", "    keyAlgorithm: ecdsa-p384"]], ["key-algorithm-unsupported spec.pki.keyAlgorithm 45"]],
  ["truncated SSH key", [[KEY, KEY.replace("EIQczXkVx9q", "EIQczXk")]], ["invalid-ssh-key spec.admin.sshKeys[0] 43"]],
  ["SSH key type does not match its data", [[KEY, KEY.replace("ssh-ed25519", "ssh-rsa")]], ["invalid-ssh-key spec.admin.sshKeys[0] 43"]],
  ["RSA admin key under the strict sshd hardening", [[KEY, "      - ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQD0Gllxd7FzQ0GlNaZH7jb2mCDpMRyIYqDlHlNY17s5pDoRi9wTCQVc159MIYZ7W4fR9+oB5VJDJHoKvJ+cnckH7alpZg3tj6UCHKCuCxhWa2jpXWAtQ53l0P0tOp49u9/kujGgUudtwm+cGhr/Sxf46aF02wl60X0bmSHoHqKtmfXgVkiM7N/zLcl1UIsfyuEwA0FPUxwEwV+UvXWe5C8U0vcKi+qvz8/PqBKeB8J0e5y6pPPF+yvAfoOmeMo4qdNnbIkUJIvCkPwR6MV/HbTN7t9fryaSJzxHvVy2bpz39kCXV/LLzYKNMMVyX6GzH12ha0EN1yKRayypQGRUp+Fh test@kubeseed"]], ["ssh-key-not-ed25519 spec.admin.sshKeys[0] 43"]],
  ["SSH key of unknown type", [[KEY, KEY.replace("ssh-ed25519", "ssh-dss")]], ["invalid-ssh-key spec.admin.sshKeys[0] 43"]],
  ["extra SAN neither IP nor DNS", [['    apiServerExtraSANs: [api.example.com, "*.apps.example.com", 203.0.113.7]', "    apiServerExtraSANs: [api_example.com, 203.0.113.7, 203.0.113.300]"]], ["invalid-san spec.pki.apiServerExtraSANs[0] 48", "invalid-san spec.pki.apiServerExtraSANs[2] 48"]],
  ["duplicate RBAC user", [["      groups: [developers]", "      groups: [developers]\n    - name: developer"]], ["duplicate-user spec.users[1].name 53"]],
  ["leaf validity not shorter than the CA's", [["    certValidity: 8760h", "    certValidity: 3650d"]], ["validity-order spec.pki.certValidity 47"]],
  ["default CA validity shorter than the leaf's", [["    caValidity: 87600h", ""], ["    certValidity: 8760h", "    certValidity: 100000h"]], ["validity-order spec.pki.certValidity 47"]],
  ["renewal window not shorter than the leaf validity", [["    certValidity: 8760h", "    certValidity: 8760h\n    renewBefore: 365d"]], ["renewal-window spec.pki.renewBefore 48"]],
  ["renewal window not a duration", [["    certValidity: 8760h", "    certValidity: 8760h\n    renewBefore: 30 days"]], ["invalid-value spec.pki.renewBefore 48"]],
  // warnings
  ["even number of control planes", [["      role: worker", "      role: control-plane"]], ["warning:even-control-planes spec.nodes 22"]],
  ["ECDSA before 1.31", [["    version: v1.33.5", "    version: v1.30.14"]], ["warning:ecdsa-renewal-gate spec.pki.keyAlgorithm 45"]],
];

describe("invalid profiles", () => {
  it("the table has at least 30 rows", () => expect(rows.length).toBeGreaterThanOrEqual(30));

  it.each(rows)("%s", (_title, input, expected) => {
    const text = "fixture" in input ? readFileSync(`${FIXTURES}${input.fixture}`, "utf8") : variant(input);
    const { profile, diagnostics } = load(text);
    expect(summary(diagnostics)).toEqual([...expected].sort());
    if (expected.some((e) => !e.startsWith("warning:"))) expect(profile).toBeUndefined();
    else expect(profile).toBeDefined();
    // the source line is shown, except for a file that is not a profile: nothing of it is shown
    for (const d of diagnostics) expect(d.loc?.text).toBe(d.code === "not-a-profile" ? undefined : text.split("\n")[(d.loc?.line ?? 0) - 1]);
  });
});
