//go:build tools

// Package tools only exists so that `go mod tidy` keeps the etcd server (the main package
// at the root of go.etcd.io/etcd/server/v3) and its dependencies in go.mod/go.sum.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
)
