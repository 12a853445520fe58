//go:build tools

// Package tools only exists so that `go mod tidy` keeps kwok and its dependencies in
// go.mod/go.sum.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
