// Module gateway-api pins the Gateway API release whose standard-channel CRDs (shipped in the
// module under config/crd/standard/) the local control plane installs. Nothing is built from
// it; build.sh copies the CRD YAMLs next to the binaries.
module serve-revisions/cluster/tools/gateway-api

go 1.26.0

require sigs.k8s.io/gateway-api v1.6.3
