//go:build tools

// Package tools pins kube-apiserver and kube-controller-manager from k8s.io/kubernetes in this
// wrapper module. k8s.io/kubernetes replaces each k8s.io/<staging> module with a path inside its
// own repository, which go ignores in a dependency; go.mod here replaces each one with the
// published v0.<minor>.<patch> of the same release instead.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
