// Package shim exposes the tls Terraform provider's constructor, which lives in an internal
// package of its module; only a package under that module path may import it.
package shim

import (
	tfpf "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-provider-tls/internal/provider"
)

// NewProvider returns the upstream plugin-framework provider.
func NewProvider() tfpf.Provider { return provider.New() }
