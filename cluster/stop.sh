#!/usr/bin/env bash
# Stops the control plane that start.sh started from the same state folder: each component's
# whole process group, waiting until every one has exited. Safe to run twice or
# when nothing runs. The state folder is kept (logs help after a failed test); start.sh
# wipes it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

if [[ ! -d "$cluster_run/pids" ]]; then
  log "nothing to stop in $cluster_run"
  exit 0
fi

# The API server's clients and the API server together: the state is discarded, so an
# orderly shutdown gains nothing, and their shutdown delays would add up. kube-apiserver
# hangs for long after it stops listening, hence its short grace. etcd last, once nothing
# talks to it any more, which lets it exit promptly.
stop_component metrics-server &
stop_component kwok &
stop_component kube-scheduler &
stop_component kube-controller-manager &
stop_component kube-apiserver 20 &
wait
stop_component etcd
log "stopped the cluster in $cluster_run"
