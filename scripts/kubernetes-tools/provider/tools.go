//go:build tools

// Package tools pins upstream's pulumi-resource-kubernetes main package in this wrapper module.
// build.sh stages a copy of the provider module (upstream's zip lacks the generated
// schema-embed.json and terraform-mapping-embed.json, which build.sh writes) and replaces the
// module with it, so the binary is built at the pulumi/pkg version the provider's go.mod pins.
package tools

import _ "github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes"
