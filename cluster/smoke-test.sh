#!/usr/bin/env bash
# Checks a running local cluster (started by start.sh) does what the tests rely on:
# scheduling on kwok nodes, GPU placement, HPA, garbage collection, the viewer's RBAC and
# the fail-image conventions. Works in a namespace of its own and deletes it afterwards.
# Prints "N passed, N failed" last; exits non-zero if anything failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
[[ -f "$cluster_run/env" ]] || die "no running cluster in $cluster_run (run start.sh first)"

ns="smoke-$$"
passed=0
failed=0
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    passed=$((passed + 1)); log "ok   $what"
  else
    failed=$((failed + 1)); log "FAIL $what"
  fi
}
# eventually WHAT CMD...: retried for up to 30 s, as controllers act asynchronously.
eventually() {
  local what=$1 deadline=$((SECONDS + 30))
  shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      failed=$((failed + 1)); log "FAIL $what"; return 0
    fi
    sleep 0.5
  done
  passed=$((passed + 1)); log "ok   $what"
}
jp() { kctl -n "$ns" get "$1" -o "jsonpath=$2"; }
equals() { [[ "$("${@:2}")" == "$1" ]]; }

kctl create namespace "$ns" >/dev/null
trap 'kctl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true' EXIT
eventually "default service account in $ns" kctl -n "$ns" get serviceaccount default

kctl -n "$ns" create deployment web --image=registry.invalid/web:1 --replicas=2 >/dev/null
eventually "deployment web: 2 ready replicas" equals 2 jp deployment/web '{.status.readyReplicas}'
web_nodes() { kctl -n "$ns" get pods -l app=web -o 'jsonpath={range .items[*]}{.status.phase}@{.spec.nodeName} {end}'; }
on_kwok() { [[ "$(web_nodes)" =~ ^(Running@kwok-[a-z0-9-]+\ ){2}$ ]]; }
check "both web pods Running on kwok nodes" on_kwok

kctl -n "$ns" apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: gpu}
spec:
  containers:
  - name: main
    image: registry.invalid/gpu:1
    resources: {limits: {nvidia.com/gpu: "1"}}
---
apiVersion: v1
kind: Pod
metadata: {name: pull}
spec:
  containers: [{name: main, image: "registry.invalid/model:fail-pull"}]
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers: [{name: main, image: "registry.invalid/model:fail-crash"}]
EOF
eventually "GPU pod Running on kwok-gpu-0" equals "Running kwok-gpu-0" jp pod/gpu '{.status.phase} {.spec.nodeName}'
eventually ":fail-pull pod waits with ImagePullBackOff" equals "Pending ImagePullBackOff" \
  jp pod/pull '{.status.phase} {.status.containerStatuses[0].state.waiting.reason}'
eventually ":fail-crash pod waits with CrashLoopBackOff" equals "Running CrashLoopBackOff" \
  jp pod/crash '{.status.phase} {.status.containerStatuses[0].state.waiting.reason}'

kctl -n "$ns" autoscale deployment web --min=2 --max=4 --cpu=80 >/dev/null
check "HPA web exists as autoscaling/v2" kctl -n "$ns" get horizontalpodautoscalers.v2.autoscaling web

# Garbage collection: a Deployment owned by a ConfigMap goes when the ConfigMap goes.
kctl -n "$ns" create configmap owner >/dev/null
uid="$(jp configmap/owner '{.metadata.uid}')"
kctl -n "$ns" apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: owned
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: "$uid"}]
spec:
  replicas: 1
  selector: {matchLabels: {app: owned}}
  template:
    metadata: {labels: {app: owned}}
    spec: {containers: [{name: main, image: "registry.invalid/owned:1"}]}
EOF
kctl -n "$ns" delete configmap owner >/dev/null
eventually "GC deletes the Deployment owned by a deleted ConfigMap" \
  bash -c "! '$(<"$cluster_run/bin")/kubectl' --kubeconfig '$cluster_run/admin.kubeconfig' -n '$ns' get deployment owned"

viewer() { "$(<"$cluster_run/bin")/kubectl" --kubeconfig "$cluster_run/viewer.kubeconfig" "$@"; }
forbidden() { ! out="$("$@" 2>&1)" && [[ "$out" == *Forbidden* || "$out" == *forbidden* ]]; }
check "viewer can list pods in demo" viewer -n demo get pods
check "viewer cannot create a configmap in demo" forbidden viewer -n demo create configmap x
check "viewer cannot list pods in $ns" forbidden viewer -n "$ns" get pods

echo "$passed passed, $failed failed"
((failed == 0))
