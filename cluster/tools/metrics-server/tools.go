//go:build tools

// Package tools only exists so that `go mod tidy` keeps metrics-server and its dependencies
// in go.mod/go.sum.
package tools

import (
	_ "sigs.k8s.io/metrics-server/cmd/metrics-server"
)
