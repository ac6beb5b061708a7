// Command pulumi-resource-random serves the random Terraform provider to the Pulumi engine
// through the Terraform bridge (see ../bridgeutil).
package main

import (
	"github.com/terraform-providers/terraform-provider-random/shim"
	"shipshape.local/pulumi-toolchain/bridgeutil"
)

// version is set by build.sh from the npm package @pulumi/random.
var version = "0.0.0-dev"

func main() {
	bridgeutil.Main(bridgeutil.Spec{Name: "random", Version: version}, shim.NewProvider)
}
