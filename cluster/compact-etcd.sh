#!/usr/bin/env bash
# Compacts etcd's history up to its current revision, as kube-apiserver's own compactor does
# every few minutes, after one write of a scratch key so there is a revision to compact past.
# Whatever a client holds from before (a LIST's continue token, a watch's resourceVersion) then
# answers 410 Gone once it reaches etcd, as it does on a cluster after a long pause.
#   compact-etcd.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

component_pid etcd >/dev/null || die "etcd is not running in $cluster_run"
endpoint="$(sed -n 's/^SERVE_REVISIONS_ETCD_ENDPOINT=//p' "$cluster_run/env")"
pki="$cluster_run/pki"
# etcd's JSON gateway (v3 API over HTTPS), as the API server's client certificate.
etcd_post() {
  curl -fsS --cacert "$pki/ca.crt" --cert "$pki/apiserver-etcd-client.crt" --key "$pki/apiserver-etcd-client.key" \
    -X POST "$endpoint/v3/$1" -d "$2"
}
# Key and value base64-encoded, as the gateway wants them: "serve-revisions-compact-etcd" = "now".
revision="$(etcd_post kv/put "{\"key\":\"$(printf serve-revisions-compact-etcd | base64 -w0)\",\"value\":\"$(date +%s | base64 -w0)\"}" |
  sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')"
[[ -n "$revision" ]] || die "etcd did not say its revision"
etcd_post kv/compaction "{\"revision\":\"$revision\",\"physical\":true}" >/dev/null
log "etcd compacted up to revision $revision"
