# shellcheck shell=bash
# Helpers shared by start.sh, stop.sh and the fault scripts. Sourced, not
# run. Every script finds the same state folder through the same variables, so stop.sh
# stops exactly what start.sh started.

cluster_cache="${SERVE_REVISIONS_CACHE:-$HOME/.cache/serve-revisions}"
cluster_run="${SERVE_REVISIONS_CLUSTER_DIR:-$cluster_cache/cluster-run}"

# Order matters: start in this order, stop in the reverse one, so that no component
# outlives what it depends on for long.
cluster_components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok metrics-server)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# TCP ports someone listens on, from /proc (no ss/netstat needed), one decimal per line.
listening_ports() {
  local f _sl local_addr _rem state _rest
  for f in /proc/net/tcp /proc/net/tcp6; do
    [[ -r "$f" ]] || continue
    # Field 2 is the local "ADDR:PORT" in hex, field 4 the state; 0A is LISTEN. The
    # header line fails the state test. (Debian's awk is mawk, without strtonum.)
    while read -r _sl local_addr _rem state _rest; do
      if [[ "$state" == 0A ]]; then echo $((16#${local_addr##*:})); fi
    done <"$f"
  done
}

# Prints N distinct free ports. They are picked below the kernel's ephemeral range so an
# outgoing connection is unlikely to grab one before our server binds it.
free_ports() {
  local n=$1 used port picked=() tries=0
  used=" $(listening_ports | tr '\n' ' ') "
  while ((${#picked[@]} < n)); do
    ((tries++ < 1000)) || die "no free ports found"
    port=$((20000 + RANDOM % 12000))
    [[ "$used" == *" $port "* ]] && continue
    [[ " ${picked[*]} " == *" $port "* ]] && continue
    picked+=("$port")
  done
  printf '%s\n' "${picked[@]}"
}

# The pid recorded for a component, if that process still runs the binary we started
# (guards against a recycled pid after a reboot or a crash).
component_pid() {
  local name=$1 pid exe
  [[ -f "$cluster_run/pids/$name" ]] || return 1
  pid="$(<"$cluster_run/pids/$name")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  [[ "$(basename "${exe% (deleted)}")" == "$name" ]] || return 1
  echo "$pid"
}

# Starts a component from the argument file start.sh saved, detached in its own session
# (so it survives the caller and can be stopped as a process group), logging to logs/.
launch() {
  local name=$1 bin args=()
  bin="$(<"$cluster_run/bin")"
  mapfile -t args <"$cluster_run/cmd/$name.args"
  # setsid execs in place (a background job of a script is never a group leader), so $!
  # is the component's pid and also its process group and session id.
  setsid "$bin/$name" "${args[@]}" </dev/null >>"$cluster_run/logs/$name.log" 2>&1 &
  echo $! >"$cluster_run/pids/$name"
}

# Stops one component's whole process group: SIGTERM, then SIGKILL after a grace period
# (the state is thrown away anyway, and kube-apiserver can hang for a long time on
# graceful termination), and waits until it is gone. A stopped (SIGSTOP) process is
# continued so it can exit.
stop_component() {
  local name=$1 grace_tenths=${2:-50} pid i
  pid="$(component_pid "$name")" || { rm -f "$cluster_run/pids/$name"; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  kill -CONT -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < grace_tenths; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name ($pid) still running after SIGTERM; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$cluster_run/pids/$name"
}

# Runs the built kubectl as the cluster admin.
kctl() {
  "$(<"$cluster_run/bin")/kubectl" --kubeconfig "$cluster_run/admin.kubeconfig" "$@"
}

# Fails naming the first started component (one with a pid file) that is no longer running.
all_alive() {
  local name
  for name in "${cluster_components[@]}"; do
    if [[ -f "$cluster_run/pids/$name" ]] && ! component_pid "$name" >/dev/null; then
      die "$name exited; see $cluster_run/logs/$name.log"
    fi
  done
}

# Waits until "$@" succeeds, or fails after $timeout seconds naming $what. Gives up at once
# if a component died meanwhile, rather than waiting out the timeout.
wait_for() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    all_alive
    ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what"
    sleep 0.2
  done
}

# metrics.k8s.io answers through the aggregator once metrics-server is up; a node's metrics
# need two scrapes (a CPU rate), so metrics for all three nodes prove the whole path:
# aggregator -> metrics-server -> kwok's /metrics/resource -> the simulated usage.
metrics_api_ready() {
  [[ "$(kctl get --raw /apis/metrics.k8s.io/v1beta1/nodes | grep -o '"name":"kwok-[^"]*"' | sort -u | wc -l)" -ge 3 ]] &&
    kctl get --raw /apis/metrics.k8s.io/v1beta1/pods >/dev/null
}
