// Command pulumi-resource-tls serves the tls Terraform provider to the Pulumi engine through the
// Terraform bridge (see ../bridgeutil).
package main

import (
	"github.com/hashicorp/terraform-provider-tls/shim"
	"shipshape.local/pulumi-toolchain/bridgeutil"
)

// version is set by build.sh from the npm package @pulumi/tls.
var version = "0.0.0-dev"

func main() {
	bridgeutil.Main(bridgeutil.Spec{Name: "tls", Version: version, StripPrefix: "tls_"}, shim.NewProvider)
}
