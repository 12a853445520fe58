#!/usr/bin/env bash
# Freezes etcd (SIGSTOP) or thaws it (SIGCONT) without losing its state: the API server then
# hangs and times out on storage, as when the datastore is unreachable.
#   pause-etcd.sh [pause|resume]     (default: pause)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

pid="$(component_pid etcd)" || die "etcd is not running in $cluster_run"
case "${1:-pause}" in
  pause) kill -STOP -- "-$pid"; log "etcd ($pid) paused" ;;
  resume) kill -CONT -- "-$pid"; log "etcd ($pid) resumed" ;;
  *) die "usage: $0 [pause|resume]" ;;
esac
