#!/usr/bin/env bash
# Builds the local control plane's binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok, metrics-server, and specoracle, a judge of objects by
# Kubernetes' own validation) from the Go modules pinned in cluster/tools/ into a cache folder
# outside the checkout, copies the CRDs the cluster installs at start (Gateway API standard
# channel, kwok's Logs and PortForward) from those modules into <folder>/crds/, and prints that
# folder as the last line of stdout.
#
# The folder name carries a hash of the pinned go.mod/go.sum files, build flags and Go version, so a
# version bump builds afresh while an unchanged tree reuses the earlier build in seconds.
# A marker file is written only after every binary is in place: an interrupted build is
# redone from scratch on the next run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/tools"
cache="${SERVE_REVISIONS_CACHE:-$HOME/.cache/serve-revisions}"

# Go may be installed without being on PATH (e.g. non-login shells in CI).
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null 2>&1 || { echo "build.sh: go is not installed" >&2; exit 1; }

# -trimpath and -s -w keep the binaries smaller and independent of this machine's paths;
# -mod=readonly: the committed go.sum must already be complete, a build never edits it.
build_flags=(-mod=readonly -trimpath "-ldflags=-s -w")

# Every input that changes the output goes into the key: the pinned module files and the
# sources of programs kept beside them, e.g. kubernetes/specoracle/ (named relative to tools/,
# so the key does not depend on how this script was invoked), the build flags and the Go
# version. Editing comments here does not force a rebuild.
key="$(
  {
    for f in "$tools"/*/go.mod "$tools"/*/go.sum "$tools"/*/tools.go "$tools"/*/*/*.go; do
      printf '%s\n' "${f#"$tools"/}"
      cat "$f"
    done
    printf '%s\n' "${build_flags[@]}"
    go env GOVERSION GOOS GOARCH
  } | sha256sum | cut -c1-16
)"
bin="$cache/cluster-bin-$key"
marker="$bin/.complete"

if [[ -f "$marker" ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache"
# Two test runs may start at once; only one of them should build, the other waits and then
# finds the marker.
exec 9>"$cache/cluster-build.lock"
flock 9
if [[ -f "$marker" ]]; then
  echo "$bin"
  exit 0
fi

rm -rf "$bin"
mkdir -p "$bin"

# name|module folder|package
targets=(
  "metrics-server|metrics-server|sigs.k8s.io/metrics-server/cmd/metrics-server"
  "etcd|etcd|go.etcd.io/etcd/server/v3"
  "kube-apiserver|kubernetes|k8s.io/kubernetes/cmd/kube-apiserver"
  "kube-controller-manager|kubernetes|k8s.io/kubernetes/cmd/kube-controller-manager"
  "kube-scheduler|kubernetes|k8s.io/kubernetes/cmd/kube-scheduler"
  "kubectl|kubernetes|k8s.io/kubernetes/cmd/kubectl"
  # Kubernetes' own validation, offline, for the spec checker's differential test.
  "specoracle|kubernetes|./specoracle"
  "kwok|kwok|sigs.k8s.io/kwok/cmd/kwok"
)

started=$SECONDS
for t in "${targets[@]}"; do
  IFS='|' read -r name mod pkg <<<"$t"
  t0=$SECONDS
  echo "build.sh: building $name ($pkg)" >&2
  (cd "$tools/$mod" && go build "${build_flags[@]}" -o "$bin/$name" "$pkg")
  echo "build.sh: built $name in $((SECONDS - t0))s" >&2
done

# Manifests that start.sh installs, taken from the pinned modules so that start needs no
# network: the Gateway API standard channel (its CRDs and the ValidatingAdmissionPolicy that
# ships beside them) and kwok's Logs and PortForward CRDs.
# name prefix|module folder|module|space-separated globs inside the module
crd_sets=(
  "gateway-api|gateway-api|sigs.k8s.io/gateway-api|config/crd/standard/*.yaml"
  "kwok|kwok|sigs.k8s.io/kwok|kustomize/crd/bases/kwok.x-k8s.io_logs.yaml kustomize/crd/bases/kwok.x-k8s.io_portforwards.yaml"
)
mkdir -p "$bin/crds"
for c in "${crd_sets[@]}"; do
  IFS='|' read -r prefix mod module files <<<"$c"
  # `go mod download` fetches the module (verified against go.sum) if it is not cached yet.
  dir="$(cd "$tools/$mod" && go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$dir" ]] || { echo "build.sh: cannot find the files of $module" >&2; exit 1; }
  n=0
  read -ra patterns <<<"$files"
  for pattern in "${patterns[@]}"; do
    for f in "$dir"/$pattern; do
      [[ -f "$f" ]] || { echo "build.sh: $module has no $pattern" >&2; exit 1; }
      cp "$f" "$bin/crds/$prefix-$(basename "$f")"
      n=$((n + 1))
    done
  done
  echo "build.sh: copied $n manifest(s) from $module" >&2
done

{
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "seconds=$((SECONDS - started))"
  go env GOVERSION
} >"$marker"
echo "build.sh: all binaries built in $((SECONDS - started))s" >&2
echo "$bin"
