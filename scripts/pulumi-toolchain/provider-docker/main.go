// Command pulumi-resource-docker serves kreuzwerker's docker Terraform provider to the Pulumi
// engine through the Terraform bridge (see ../bridgeutil). Upstream's provider muxes in a native
// docker:index/image:Image (BuildKit) written in Go in its own module, which the proxy does not
// serve; that one resource is not available here.
package main

import (
	"github.com/terraform-providers/terraform-provider-docker/shim"
	"shipshape.local/pulumi-toolchain/bridgeutil"
	"shipshape.local/pulumi-toolchain/bridgeutil/sdkv2"
)

// version is set by build.sh from the npm package @pulumi/docker.
var version = "0.0.0-dev"

func main() {
	sdkv2.Main(bridgeutil.Spec{
		Name:        "docker",
		Version:     version,
		StripPrefix: "docker_",
		// Where the npm SDK's names differ from the Terraform type names.
		Names:      map[string]string{"docker_image": "remoteImage", "docker_config": "serviceConfig"},
		Autonaming: true,
		KeepName:   []string{"docker_image"},
		// List attributes the bridge would pluralize but the npm SDK names as upstream does.
		FieldNames: map[string]map[string]string{
			"docker_container": {"command": "command", "networks_advanced": "networksAdvanced"},
		},
	}, shim.NewProvider(version))
}
