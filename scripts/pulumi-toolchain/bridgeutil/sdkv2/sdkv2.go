// Package sdkv2 serves a Terraform provider written with terraform-plugin-sdk/v2 through the
// bridge, with the naming rule of the parent package.
package sdkv2

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"shipshape.local/pulumi-toolchain/bridgeutil"
)

// Main serves the provider over gRPC, as the Pulumi engine expects of a resource plugin.
func Main(spec bridgeutil.Spec, p *schema.Provider) {
	info := bridgeutil.Info(spec, shimv2.NewProvider(p))
	tfbridge.Main(spec.Name, spec.Version, info, bridgeutil.Schema(spec))
}
