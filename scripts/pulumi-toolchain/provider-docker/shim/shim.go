// Package shim exposes the docker Terraform provider's constructor, which lives in an internal
// package of its module; only a package under that module path may import it.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the upstream SDKv2 provider.
func NewProvider(version string) *schema.Provider { return provider.New(version)() }
