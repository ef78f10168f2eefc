#!/usr/bin/env bash
# The baseline `npm run bench` compares `gen` with: the certificate set of a profile made with the
# openssl CLI, one certificate after the other, the way an operator would script it (the pattern of
# "Kubernetes the hard way" and kubeadm's manual-certificates guide): the 3 kubeadm CAs
# (self-signed, CA:TRUE, keyCertSign), the service-account key pair, then per leaf
# `openssl req -newkey` (key + CSR) and `openssl x509 -req` (signed by its CA with kubeadm's
# extensions and a random serial). Only certificates and keys: no kubeconfig, no node document.
#
# usage: bench/openssl-certs.sh ALGORITHM SPEC OUTDIR [VALIDITY_DAYS]
#   ALGORITHM  ecdsa-p256 | ecdsa-p384 | rsa-2048 | rsa-3072 | rsa-4096
#   SPEC       one line per leaf, tab-separated: name, CA name, -subj, extendedKeyUsage, subjectAltName
#              (bench/cases.ts writeOpensslSpec writes it from the generator's plan)
#   OUTDIR     created; receives CA.crt/.key, sa.key/.pub and NAME.key/.crt per leaf
set -euo pipefail
alg=$1 spec=$(realpath "$2") out=$3 days=${4:-365}

case $alg in
  ecdsa-p256) newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) keyusage=digitalSignature,keyEncipherment ;;
  ecdsa-p384) newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-384) keyusage=digitalSignature,keyEncipherment ;;
  rsa-*) newkey=(-newkey "rsa:${alg#rsa-}") keyusage=digitalSignature,keyEncipherment ;;
  *) echo "unknown algorithm $alg" >&2; exit 2 ;;
esac

mkdir -p "$out"
cd "$out"

for ca in kubernetes etcd-ca front-proxy-ca; do
  openssl req -x509 -new -nodes "${newkey[@]}" -keyout "$ca.key" -out "$ca.crt" -subj "/CN=$ca" -days 3650 \
    -addext "keyUsage=critical,$keyusage,keyCertSign" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "subjectKeyIdentifier=hash" -addext "subjectAltName=DNS:$ca" 2>/dev/null
done

# service-account key pair (kubeadm's sa.key / sa.pub)
openssl req -new -nodes "${newkey[@]}" -keyout sa.key -subj /CN=sa -out /dev/null 2>/dev/null
openssl pkey -in sa.key -pubout -out sa.pub

while IFS=$'\t' read -r name ca subject eku san; do
  openssl req -new -nodes "${newkey[@]}" -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  ext="keyUsage=critical,$keyusage
extendedKeyUsage=$eku
basicConstraints=critical,CA:FALSE
authorityKeyIdentifier=keyid"
  [ -n "$san" ] && ext+=$'\n'"subjectAltName=$san"
  openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -days "$days" -sha256 \
    -extfile <(printf '%s\n' "$ext") -out "$name.crt" 2>/dev/null
  rm -f "$name.csr"
done <"$spec"
