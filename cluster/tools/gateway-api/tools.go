//go:build tools

// Package tools only exists so that `go mod tidy` keeps sigs.k8s.io/gateway-api in
// go.mod/go.sum. pkg/consts imports nothing, so no other module is pulled in; build.sh only
// needs the module's files (config/crd/standard/*.yaml), not a build.
package tools

import (
	_ "sigs.k8s.io/gateway-api/pkg/consts"
)
