#!/usr/bin/env bash
# Starts a real, local Kubernetes control plane for tests: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok (which plays the kubelet for fake nodes:
# pod states, logs, port-forwarding, resource metrics) and metrics-server, all on 127.0.0.1,
# on free ports picked now, with CAs, certificates and keys made for this run only. Installs
# the objects in manifests/ and the CRDs build.sh copied (Gateway API, kwok's Logs and
# PortForward). State lives in ${SERVE_REVISIONS_CLUSTER_DIR:-$CACHE/cluster-run} and is
# wiped first. Waits until the cluster can run pods and the metrics API answers, then prints
# the admin kubeconfig path as the last line of stdout. Stop it with stop.sh.
#
# Options (environment), for a bench's cluster of its own:
#   SERVE_REVISIONS_METRICS_SERVER=off    no metrics-server (nor its APIService): nothing scrapes
#                                         every pod every 10 s while a bench measures
#   SERVE_REVISIONS_ETCD_QUOTA_BYTES=N    etcd's --quota-backend-bytes (its default is 2 GiB)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

t_start=$SECONDS

# Builds (or finds the cached build of) the binaries; build.sh's last line is the folder.
bin="$("$here/build.sh" | tail -n 1)"
[[ -x "$bin/kube-apiserver" ]] || die "build.sh did not produce binaries in '$bin'"

# A cluster left running from this state folder would hold the old ports and files.
if [[ -d "$cluster_run/pids" ]]; then
  "$here/stop.sh" >/dev/null
fi
# Wipe only a folder that is empty or was a state folder before (it has the `bin` file), so
# a mistyped SERVE_REVISIONS_CLUSTER_DIR cannot delete someone's files.
if [[ -d "$cluster_run" && -n "$(ls -A "$cluster_run")" && ! -f "$cluster_run/bin" ]]; then
  die "$cluster_run is not empty and is not a cluster state folder; refusing to wipe it"
fi
rm -rf "$cluster_run"
mkdir -p "$cluster_run"/{pki,cmd,pids,logs,etcd,sim}
chmod 700 "$cluster_run"
echo "$bin" >"$cluster_run/bin"
run="$cluster_run"
pki="$run/pki"

# If anything below fails, do not leave half a cluster running.
cleanup_on_error() {
  local rc=$?
  if ((rc != 0)); then
    log "start failed; logs are in $run/logs; stopping what was started"
    "$here/stop.sh" >/dev/null 2>&1 || true
  fi
}
trap cleanup_on_error EXIT

# --- ports ----------------------------------------------------------------------------
mapfile -t ports < <(free_ports 7)
etcd_port=${ports[0]}
etcd_peer_port=${ports[1]}
apiserver_port=${ports[2]}
kcm_port=${ports[3]}
scheduler_port=${ports[4]}
kwok_port=${ports[5]}
metrics_server_port=${ports[6]}
server="https://127.0.0.1:$apiserver_port"

# --- certificates ----------------------------------------------------------------------
# ECDSA P-256 keys: generated in milliseconds, unlike RSA, and accepted by every component.
newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# cert NAME SUBJECT USAGE [SANS] [CA]: a key and a certificate signed by this run's CA (or
# by the CA named CA).
cert() {
  local name=$1 subj=$2 usage=$3 sans=${4:-} ca=${5:-ca}
  newkey "$pki/$name.key"
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  {
    echo "basicConstraints = critical, CA:FALSE"
    echo "keyUsage = critical, digitalSignature, keyEncipherment"
    echo "extendedKeyUsage = $usage"
    if [[ -n "$sans" ]]; then echo "subjectAltName = $sans"; fi
  } >"$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" \
    -CAcreateserial -days 30 -sha256 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$pki/$name.ext"
}

# newca NAME CN: a self-signed CA.
newca() {
  newkey "$pki/$1.key"
  openssl req -x509 -new -key "$pki/$1.key" -subj "/CN=$2" -days 30 -sha256 \
    -addext "basicConstraints = critical, CA:TRUE" \
    -addext "keyUsage = critical, keyCertSign, cRLSign, digitalSignature" \
    -out "$pki/$1.crt" 2>/dev/null
}
newca ca serve-revisions-local-ca
# The aggregator proves who the user is to metrics-server with request headers, signed by a
# CA of its own (as kubeadm does), so that no ordinary client certificate can assert them.
newca front-proxy-ca serve-revisions-local-front-proxy-ca

local_sans="IP:127.0.0.1, DNS:localhost"
cert etcd-server "/CN=etcd" "serverAuth, clientAuth" "$local_sans"
cert apiserver-etcd-client "/CN=kube-apiserver-etcd-client" "clientAuth"
# 10.96.0.1 is the `kubernetes` Service's cluster IP (first address of the service range).
cert apiserver "/CN=kube-apiserver" "serverAuth" \
  "$local_sans, IP:10.96.0.1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local"
# Client identities: the apiserver takes the user from CN and the groups from O.
cert admin "/O=system:masters/CN=serve-revisions-admin" "clientAuth"
cert controller-manager "/CN=system:kube-controller-manager" "clientAuth"
cert scheduler "/CN=system:kube-scheduler" "clientAuth"
cert kwok "/CN=kwok-controller" "clientAuth"
cert viewer "/CN=viewer" "clientAuth"
cert metrics-server "/CN=metrics-server" "clientAuth"
# The API server's identity towards the "kubelets" (kwok) for logs and port-forward.
cert apiserver-kubelet-client "/CN=kube-apiserver-kubelet-client" "clientAuth"
cert front-proxy-client "/CN=front-proxy-client" "clientAuth" "" front-proxy-ca
# Serving certificates the API server and metrics-server verify: kwok serves every fake node
# at 127.0.0.1 (the nodes' InternalIP); the aggregator checks metrics-server's certificate
# for the name <service>.<namespace>.svc.
cert kwok-serving "/CN=kwok" "serverAuth" "$local_sans"
cert metrics-server-serving "/CN=metrics-server" "serverAuth" \
  "$local_sans, DNS:metrics-server.kube-system.svc, DNS:metrics-server.kube-system.svc.cluster.local"
# Service-account tokens are signed with this pair.
newkey "$pki/sa.key"
openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
chmod 600 "$pki"/*.key

# kubeconfig NAME: a self-contained kubeconfig (certificates embedded) for client cert NAME.
kubeconfig() {
  local name=$1 file=$2
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: serve-revisions-local
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: $name
  user:
    client-certificate-data: $(base64 -w0 <"$pki/$name.crt")
    client-key-data: $(base64 -w0 <"$pki/$name.key")
contexts:
- name: $name@serve-revisions-local
  context:
    cluster: serve-revisions-local
    user: $name
current-context: $name@serve-revisions-local
EOF
  chmod 600 "$file"
}
kubeconfig admin "$run/admin.kubeconfig"
kubeconfig viewer "$run/viewer.kubeconfig"
kubeconfig controller-manager "$pki/controller-manager.kubeconfig"
kubeconfig scheduler "$pki/scheduler.kubeconfig"
kubeconfig kwok "$pki/kwok.kubeconfig"
kubeconfig metrics-server "$pki/metrics-server.kubeconfig"

# --- simulation files --------------------------------------------------------------------
# render FILE NAME=VALUE...: prints FILE with every @NAME@ replaced by VALUE; fails if a
# placeholder is left unfilled.
shopt -u patsub_replacement 2>/dev/null || true
render() {
  local file=$1 text pair
  shift
  text="$(<"$file")"
  for pair in "$@"; do text="${text//"@${pair%%=*}@"/"${pair#*=}"}"; done
  if [[ "$text" =~ @[A-Z_]+@ ]]; then die "$file: placeholder ${BASH_REMATCH[0]} left unfilled"; fi
  printf '%s\n' "$text"
}
# cri_log SRC DEST: SRC's "<stdout|stderr> <text>" lines as a CRI container log (the format
# kubelets write and kwok serves), one second apart and ending now.
cri_log() {
  local src=$1 dest=$2 now n i=0 line
  now=$(date +%s)
  n=$(wc -l <"$src")
  while IFS= read -r line; do
    printf '%s %s F %s\n' "$(date -u -d "@$((now - n + i))" +%Y-%m-%dT%H:%M:%S.%NZ)" "${line%% *}" "${line#* }"
    i=$((i + 1))
  done <"$src" >"$dest"
}
cri_log "$here/sim/server.log.txt" "$run/sim/server.log"
cri_log "$here/sim/crashed.log.txt" "$run/sim/crashed.log"
render "$here/kwok-simulation.yaml" "SIM_DIR=$run/sim" "CLUSTER_DIR=$here" >"$run/kwok-simulation.yaml"

# --- command lines -----------------------------------------------------------------------
# Saved one argument per line so restart-apiserver.sh can start a component again with
# exactly the same flags, ports and certificates.
save_args() {
  local name=$1
  shift
  printf '%s\n' "$@" >"$run/cmd/$name.args"
}

save_args etcd \
  --name=serve-revisions \
  --data-dir="$run/etcd" \
  --listen-client-urls="https://127.0.0.1:$etcd_port" \
  --advertise-client-urls="https://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="serve-revisions=http://127.0.0.1:$etcd_peer_port" \
  --client-cert-auth \
  --trusted-ca-file="$pki/ca.crt" \
  --cert-file="$pki/etcd-server.crt" \
  --key-file="$pki/etcd-server.key" \
  --unsafe-no-fsync \
  ${SERVE_REVISIONS_ETCD_QUOTA_BYTES:+--quota-backend-bytes="$SERVE_REVISIONS_ETCD_QUOTA_BYTES"} \
  --log-level=warn
# --unsafe-no-fsync: state is thrown away after every run, so durability buys nothing and
# fsync latency would slow every write on a busy CI disk.

save_args kube-apiserver \
  --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 \
  --secure-port="$apiserver_port" \
  --cert-dir="$pki/apiserver-generated" \
  --etcd-servers="https://127.0.0.1:$etcd_port" \
  --etcd-cafile="$pki/ca.crt" \
  --etcd-certfile="$pki/apiserver-etcd-client.crt" \
  --etcd-keyfile="$pki/apiserver-etcd-client.key" \
  --tls-cert-file="$pki/apiserver.crt" \
  --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --authorization-mode=Node,RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" \
  --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 \
  --kubelet-certificate-authority="$pki/ca.crt" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP \
  --requestheader-client-ca-file="$pki/front-proxy-ca.crt" \
  --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User \
  --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" \
  --proxy-client-key-file="$pki/front-proxy-client.key" \
  --profiling=false \
  --v=1
# --kubelet-*: logs, port-forward and the nodes/proxy paths go to the node's InternalIP
# (127.0.0.1, where kwok serves) and verify kwok's certificate against this run's CA, never
# skipping TLS verification. --requestheader-*/--proxy-client-*: the aggregator's identity
# towards metrics-server (the front-proxy pair).

save_args kube-controller-manager \
  --kubeconfig="$pki/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$pki/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$pki/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$kcm_port" \
  --cert-dir="$pki/controller-manager-generated" \
  --leader-elect=false \
  --controllers='*' \
  --use-service-account-credentials=true \
  --root-ca-file="$pki/ca.crt" \
  --service-account-private-key-file="$pki/sa.key" \
  --cluster-signing-cert-file="$pki/ca.crt" \
  --cluster-signing-key-file="$pki/ca.key" \
  --horizontal-pod-autoscaler-sync-period=5s \
  --horizontal-pod-autoscaler-downscale-stabilization=30s \
  --profiling=false \
  --v=1
# --use-service-account-credentials: each controller acts as its own service account, as in
# a real cluster, so RBAC mistakes show up here too.
# --horizontal-pod-autoscaler-*: the HPA looks every 5 s instead of 15 s, and scales down
# once the recommendation has been lower for 30 s instead of 5 min. Both are cluster
# operator settings that exist for exactly this trade-off (reaction time against flapping);
# with a handful of HPAs and simulated load that changes only when a test says so, a short
# window costs nothing and lets a test see a scale-down within a minute. An HPA's own
# spec.behavior still overrides the window, as on any cluster; scale-up is unchanged.

save_args kube-scheduler \
  --kubeconfig="$pki/scheduler.kubeconfig" \
  --authentication-kubeconfig="$pki/scheduler.kubeconfig" \
  --authorization-kubeconfig="$pki/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$scheduler_port" \
  --cert-dir="$pki/scheduler-generated" \
  --leader-elect=false \
  --profiling=false \
  --v=1

# kwok only looks after nodes annotated as fake, so a real node (if one ever joins) is left
# alone; it renews their Leases, plays the stages in kwok-stages.yaml and serves what a
# kubelet serves (logs, port-forward, /metrics/resource; kwok-simulation.yaml) for every
# fake node on one HTTPS port at 127.0.0.1, which the nodes report as their InternalIP and
# kubelet port. --enable-crds: kwok also watches per-pod Logs and PortForward objects.
save_args kwok \
  --kubeconfig="$pki/kwok.kubeconfig" \
  --config="$here/kwok-stages.yaml" \
  --config="$run/kwok-simulation.yaml" \
  --enable-crds=Logs,PortForward \
  --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr=10.244.0.0/16 \
  --node-ip=127.0.0.1 \
  --node-port="$kwok_port" \
  --server-address="127.0.0.1:$kwok_port" \
  --tls-cert-file="$pki/kwok-serving.crt" \
  --tls-private-key-file="$pki/kwok-serving.key" \
  --node-lease-duration-seconds=40

# metrics-server scrapes every node's /metrics/resource at the path in the node's
# metrics.k8s.io/resource-metrics-path annotation, on the node's InternalIP and kubelet port,
# verifying kwok's certificate. 10 s is the shortest resolution it accepts, and a scrape must
# time out within 90 % of it.
save_args metrics-server \
  --kubeconfig="$pki/metrics-server.kubeconfig" \
  --authentication-kubeconfig="$pki/metrics-server.kubeconfig" \
  --authorization-kubeconfig="$pki/metrics-server.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$metrics_server_port" \
  --tls-cert-file="$pki/metrics-server-serving.crt" \
  --tls-private-key-file="$pki/metrics-server-serving.key" \
  --kubelet-preferred-address-types=InternalIP \
  --kubelet-use-node-status-port \
  --kubelet-certificate-authority="$pki/ca.crt" \
  --metric-resolution=10s \
  --kubelet-request-timeout=5s \
  --v=1

# --- start -----------------------------------------------------------------------------
etcd_healthy() {
  curl -fsS --cacert "$pki/ca.crt" --cert "$pki/apiserver-etcd-client.crt" \
    --key "$pki/apiserver-etcd-client.key" "https://127.0.0.1:$etcd_port/health" | grep -q '"health":"true"'
}
# /healthz on the component ports is open to anyone, so no credentials are needed; -k
# because those serve certificates they generated themselves.
component_healthy() { curl -fsSk "https://127.0.0.1:$1/healthz" | grep -qx ok; }
launch etcd
wait_for "etcd /health" 30 etcd_healthy

log "etcd ready after $((SECONDS - t_start))s"

launch kube-apiserver
wait_for "kube-apiserver /readyz" 60 kctl get --raw /readyz
log "kube-apiserver ready after $((SECONDS - t_start))s"
# Not earlier: both exit at once if the API server answers before its bootstrap RBAC
# (readyz waits for that) lets them read kube-system/extension-apiserver-authentication.
launch kube-controller-manager
launch kube-scheduler

# Cluster objects the tests expect (manifests/), applied while the controllers start up, so
# the namespace and RBAC are in place when the service-account controllers first sync. The
# CRDs go in server-side: the HTTPRoute CRD is too large for client-side apply's annotation.
kctl apply -f "$here/manifests/access.yaml" >/dev/null
kctl apply --server-side -f "$bin/crds" >/dev/null
kctl apply -f "$here/manifests/nodes.yaml" >/dev/null
with_metrics_server=true
[[ "${SERVE_REVISIONS_METRICS_SERVER:-on}" == off ]] && with_metrics_server=false
if $with_metrics_server; then
  render "$here/manifests/metrics-server.yaml" \
    "METRICS_SERVER_PORT=$metrics_server_port" "CA_BUNDLE=$(base64 -w0 <"$pki/ca.crt")" >"$run/metrics-server.yaml"
  kctl apply -f "$run/metrics-server.yaml" >/dev/null
fi

# kwok only after its RBAC and the CRDs it watches exist, so it does not start with failing
# watches and back off.
wait_for "kwok's CRDs" 60 kctl wait --for=condition=Established --timeout=2s \
  crd/logs.kwok.x-k8s.io crd/portforwards.kwok.x-k8s.io
launch kwok

wait_for "kube-controller-manager /healthz" 60 component_healthy "$kcm_port"
wait_for "kube-scheduler /healthz" 60 component_healthy "$scheduler_port"
wait_for "nodes Ready" 60 kctl wait --for=condition=Ready node --all --timeout=2s
all_alive
log "nodes ready after $((SECONDS - t_start))s"
# Once the nodes tell where their kubelet listens and kwok serves there (its server starts
# after its controllers), so that metrics-server's first scrape succeeds: a node's metrics need
# two, and a failed first one costs another 10 s.
kwok_serving() { curl -fsS --cacert "$pki/ca.crt" "https://127.0.0.1:$kwok_port/healthz"; }
wait_for "kwok's kubelet endpoint" 60 kwok_serving
if $with_metrics_server; then launch metrics-server; fi
# Pods can only be created once their namespace's default service account exists.
wait_for "service account default/default" 60 kctl -n default get serviceaccount default
wait_for "service account demo/default" 60 kctl -n demo get serviceaccount default
wait_for "the CRDs (Gateway API)" 60 kctl wait --for=condition=Established --timeout=2s crd --all
if $with_metrics_server; then
  wait_for "metrics of every node from metrics.k8s.io" 90 metrics_api_ready
  log "metrics API ready after $((SECONDS - t_start))s"
else
  log "without metrics-server (SERVE_REVISIONS_METRICS_SERVER=off)"
fi

# A plain KEY=value file (values unquoted) for tests and shells alike.
cat >"$run/env" <<EOF
KUBECONFIG=$run/admin.kubeconfig
SERVE_REVISIONS_ADMIN_KUBECONFIG=$run/admin.kubeconfig
SERVE_REVISIONS_VIEWER_KUBECONFIG=$run/viewer.kubeconfig
SERVE_REVISIONS_SERVER=$server
SERVE_REVISIONS_CA_FILE=$pki/ca.crt
SERVE_REVISIONS_CLUSTER_DIR=$run
SERVE_REVISIONS_CLUSTER_BIN=$bin
SERVE_REVISIONS_KUBECTL=$bin/kubectl
SERVE_REVISIONS_ETCD_ENDPOINT=https://127.0.0.1:$etcd_port
SERVE_REVISIONS_CONTROLLER_MANAGER_PORT=$kcm_port
SERVE_REVISIONS_SCHEDULER_PORT=$scheduler_port
SERVE_REVISIONS_KWOK_PORT=$kwok_port
SERVE_REVISIONS_METRICS_SERVER_PORT=$metrics_server_port
SERVE_REVISIONS_SIM_DIR=$run/sim
EOF

log "cluster up in $((SECONDS - t_start))s at $server (state in $run)"
trap - EXIT
echo "$run/admin.kubeconfig"
