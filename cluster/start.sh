#!/usr/bin/env bash
# Starts a real, local Kubernetes control plane for tests: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok (which plays the kubelet for fake nodes),
# all on 127.0.0.1, on free ports picked now, with a CA, certificates and keys made for this
# run only. State lives in ${SERVE_REVISIONS_CLUSTER_DIR:-$CACHE/cluster-run} and is wiped
# first. Waits until the cluster can run pods, then prints the admin kubeconfig path as the
# last line of stdout. Stop it with stop.sh.
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
mkdir -p "$cluster_run"/{pki,cmd,pids,logs,etcd}
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
mapfile -t ports < <(free_ports 5)
etcd_port=${ports[0]}
etcd_peer_port=${ports[1]}
apiserver_port=${ports[2]}
kcm_port=${ports[3]}
scheduler_port=${ports[4]}
server="https://127.0.0.1:$apiserver_port"

# --- certificates ----------------------------------------------------------------------
# ECDSA P-256 keys: generated in milliseconds, unlike RSA, and accepted by every component.
newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# cert NAME SUBJECT USAGE [SANS]: a key and a certificate signed by this run's CA.
cert() {
  local name=$1 subj=$2 usage=$3 sans=${4:-}
  newkey "$pki/$name.key"
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  {
    echo "basicConstraints = critical, CA:FALSE"
    echo "keyUsage = critical, digitalSignature, keyEncipherment"
    echo "extendedKeyUsage = $usage"
    if [[ -n "$sans" ]]; then echo "subjectAltName = $sans"; fi
  } >"$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -CAcreateserial -days 30 -sha256 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$pki/$name.ext"
}

newkey "$pki/ca.key"
openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=serve-revisions-local-ca" -days 30 -sha256 \
  -addext "basicConstraints = critical, CA:TRUE" \
  -addext "keyUsage = critical, keyCertSign, cRLSign, digitalSignature" \
  -out "$pki/ca.crt" 2>/dev/null

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
  --profiling=false \
  --v=1

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
  --profiling=false \
  --v=1
# --use-service-account-credentials: each controller acts as its own service account, as in
# a real cluster, so RBAC mistakes show up here too.

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
# alone; it renews their Leases and plays the stages in kwok-stages.yaml.
save_args kwok \
  --kubeconfig="$pki/kwok.kubeconfig" \
  --config="$here/kwok-stages.yaml" \
  --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr=10.244.0.0/16 \
  --node-ip=10.240.0.1 \
  --node-lease-duration-seconds=40

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

# Cluster objects the tests expect. Applied as admin before the controllers start, so the
# namespace and RBAC are in place when the service-account controllers first sync.
kctl apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
# The restricted user: read-only (the built-in `view` role) in namespace demo only.
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: viewer-view
  namespace: demo
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: viewer
---
# What kwok needs to play the kubelet of many fake nodes (the Node authorizer only lets a
# kubelet touch its own node, so kwok gets an ordinary role instead).
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: serve-revisions:kwok
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch, patch, update]
- apiGroups: [""]
  resources: [nodes/status]
  verbs: [get, patch, update]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, patch, update, delete]
- apiGroups: [""]
  resources: [pods/status]
  verbs: [get, patch, update]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch, update]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch, update]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, list, watch, create, update, patch, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: serve-revisions:kwok
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: serve-revisions:kwok
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: kwok-controller
EOF

# The fake nodes. No taints, so ordinary workloads land on them without tolerations.
kctl apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Node
metadata:
  name: kwok-cpu-0
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: kwok-cpu-0
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  capacity: {cpu: "32", memory: 128Gi, pods: "110", ephemeral-storage: 500Gi}
  allocatable: {cpu: "32", memory: 128Gi, pods: "110", ephemeral-storage: 500Gi}
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-cpu-1
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: kwok-cpu-1
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  capacity: {cpu: "32", memory: 128Gi, pods: "110", ephemeral-storage: 500Gi}
  allocatable: {cpu: "32", memory: 128Gi, pods: "110", ephemeral-storage: 500Gi}
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-gpu-0
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: kwok-gpu-0
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
    nvidia.com/gpu.present: "true"
    nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB
    nvidia.com/gpu.count: "8"
status:
  capacity: {cpu: "96", memory: 1024Gi, pods: "110", ephemeral-storage: 2Ti, nvidia.com/gpu: "8"}
  allocatable: {cpu: "96", memory: 1024Gi, pods: "110", ephemeral-storage: 2Ti, nvidia.com/gpu: "8"}
EOF

# kwok only after its RBAC exists, so it does not start with failing watches and back off.
launch kwok

wait_for "kube-controller-manager /healthz" 60 component_healthy "$kcm_port"
wait_for "kube-scheduler /healthz" 60 component_healthy "$scheduler_port"
wait_for "nodes Ready" 60 kctl wait --for=condition=Ready node --all --timeout=2s
all_alive
log "nodes ready after $((SECONDS - t_start))s"
# Pods can only be created once their namespace's default service account exists.
wait_for "service account default/default" 60 kctl -n default get serviceaccount default
wait_for "service account demo/default" 60 kctl -n demo get serviceaccount default

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
EOF

log "cluster up in $((SECONDS - t_start))s at $server (state in $run)"
trap - EXIT
echo "$run/admin.kubeconfig"
