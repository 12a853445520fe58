#!/usr/bin/env bash
# Stops kube-apiserver and starts it again with exactly the flags, port and certificates that
# start.sh saved, leaving etcd, the controllers and kwok running: for tests of "the API
# server went away mid-operation".
#   restart-apiserver.sh            stop, start, wait until /readyz answers
#   restart-apiserver.sh stop       only stop it (start it later with `start`)
#   restart-apiserver.sh start      only start it (if it is not running) and wait
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

action="${1:-restart}"
[[ -f "$cluster_run/cmd/kube-apiserver.args" ]] ||
  die "no cluster started in $cluster_run (run start.sh first)"

do_stop() {
  # A short grace: tests want the API server gone promptly, as in a crash.
  stop_component kube-apiserver 20
  log "kube-apiserver stopped"
}

do_start() {
  if component_pid kube-apiserver >/dev/null; then
    log "kube-apiserver already running"
  else
    launch kube-apiserver
  fi
  wait_for "kube-apiserver /readyz" 60 kctl get --raw /readyz
  log "kube-apiserver ready"
}

case "$action" in
  restart) do_stop; do_start ;;
  stop) do_stop ;;
  start) do_start ;;
  *) die "usage: $0 [restart|stop|start]" ;;
esac
