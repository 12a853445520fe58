#!/usr/bin/env bash
# Takes the metrics API away or gives it back, for tests of "no metrics here", leaving the rest
# of the cluster running:
#   metrics-server.sh stop     stop metrics-server: the APIService stays registered but is
#                              unavailable, so metrics.k8s.io answers 503 (metrics-server down)
#   metrics-server.sh start    start it again with the same flags and wait until every node has
#                              metrics (10-20 s)
#   metrics-server.sh remove   stop it and delete the APIService: metrics.k8s.io is not served
#                              at all (404, absent from discovery), as on a cluster without it
#   metrics-server.sh restore  apply this run's metrics-server objects again, then start
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ -f "$cluster_run/cmd/metrics-server.args" ]] || die "no cluster started in $cluster_run (run start.sh first)"

do_stop() {
  stop_component metrics-server
  log "metrics-server stopped"
}

do_start() {
  if component_pid metrics-server >/dev/null; then
    log "metrics-server already running"
  else
    launch metrics-server
  fi
  wait_for "metrics of every node from metrics.k8s.io" 90 metrics_api_ready
  log "metrics API ready"
}

case "${1:-}" in
  stop) do_stop ;;
  start) do_start ;;
  remove)
    do_stop
    kctl delete apiservice v1beta1.metrics.k8s.io --ignore-not-found >/dev/null
    log "metrics.k8s.io removed"
    ;;
  restore)
    kctl apply -f "$cluster_run/metrics-server.yaml" >/dev/null
    do_start
    ;;
  *) die "usage: $0 stop|start|remove|restore" ;;
esac
