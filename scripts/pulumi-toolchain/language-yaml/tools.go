//go:build tools

// Package tools pins the upstream YAML language host for `go build`.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
