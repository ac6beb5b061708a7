// Package bridgeutil holds what shipshape's bridged provider binaries share: the naming rule that
// turns Terraform type names into the Pulumi tokens the npm SDKs use, and a main that serves a
// plugin-framework provider through the Terraform bridge.
//
// Upstream provider repositories hand-write this mapping in a resources.go and embed a schema
// generated at build time; neither is in a module the proxy serves, so the mapping is computed
// here by rule and the schema is answered from a file written next to the binary, if present.
package bridgeutil

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	pfprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shim "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Spec describes one bridged provider.
type Spec struct {
	Name    string // Pulumi package name, e.g. "tls"
	Version string // Pulumi package version, without a leading v
	// StripPrefix is removed from Terraform type names before camel-casing: "tls_" turns
	// tls_private_key into privateKey; random keeps its prefix (random_pet -> randomPet).
	StripPrefix string
	// Names overrides the camel-cased base name of some Terraform types, where the published
	// npm SDK uses another name (docker_image is RemoteImage there).
	Names map[string]string
	// Autonaming makes a required "name" input optional, defaulting to the resource's name plus
	// a random suffix, as the npm SDK's Args types show it (docker.Container's name is optional),
	// except for the Terraform types listed in KeepName (docker_image's name is the image).
	Autonaming bool
	KeepName   []string
	// FieldNames overrides the Pulumi name of some Terraform attributes, by Terraform type and
	// attribute, where the bridge's default (list attributes are pluralized) differs from the
	// npm SDK: docker_container's networks_advanced is networksAdvanced there, not
	// networksAdvanceds. Programs and policy packs use the SDK's names.
	FieldNames map[string]map[string]string
}

func (spec Spec) baseName(tfName string) string {
	if n, ok := spec.Names[tfName]; ok {
		return n
	}
	return lowerCamel(strings.TrimPrefix(tfName, spec.StripPrefix))
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// lowerCamel turns private_key into privateKey.
func lowerCamel(snake string) string {
	var b strings.Builder
	for i, part := range strings.Split(snake, "_") {
		if part == "" {
			continue
		}
		if i > 0 {
			part = upperFirst(part)
		}
		b.WriteString(part)
	}
	return b.String()
}

// Info builds the ProviderInfo with a token for every resource and data source.
func Info(spec Spec, p shim.Provider) tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:           p,
		Name:        spec.Name,
		Version:     spec.Version,
		Resources:   map[string]*tfbridge.ResourceInfo{},
		DataSources: map[string]*tfbridge.DataSourceInfo{},
		// Upstream embeds the bridge-metadata.json its tfgen run writes (aliases and renames
		// history); a provider built fresh has no history, and the names follow from the rule.
		MetadataInfo: tfbridge.NewProviderMetadata([]byte("{}")),
	}
	p.ResourcesMap().Range(func(tfName string, _ shim.Resource) bool {
		base := spec.baseName(tfName)
		info.Resources[tfName] = &tfbridge.ResourceInfo{Tok: tokens.Type(
			fmt.Sprintf("%s:index/%s:%s", spec.Name, base, upperFirst(base)))}
		return true
	})
	p.DataSourcesMap().Range(func(tfName string, _ shim.Resource) bool {
		fn := "get" + upperFirst(spec.baseName(tfName))
		info.DataSources[tfName] = &tfbridge.DataSourceInfo{Tok: tokens.ModuleMember(
			fmt.Sprintf("%s:index/%s:%s", spec.Name, fn, fn))}
		return true
	})
	field := func(res *tfbridge.ResourceInfo, tfField string, schema *tfbridge.SchemaInfo) {
		if res.Fields == nil {
			res.Fields = map[string]*tfbridge.SchemaInfo{}
		}
		res.Fields[tfField] = schema
	}
	for tfName, fields := range spec.FieldNames {
		if res, ok := info.Resources[tfName]; ok {
			for tfField, name := range fields {
				field(res, tfField, &tfbridge.SchemaInfo{Name: name})
			}
		}
	}
	if spec.Autonaming {
		for _, tfName := range spec.KeepName {
			if res, ok := info.Resources[tfName]; ok {
				field(res, "name", &tfbridge.SchemaInfo{})
			}
		}
		info.SetAutonaming(255, "-")
	}
	return info
}

// Schema is what GetSchema answers: a package schema written next to the binary
// (../share/pulumi-resource-NAME.schema.json) if there is one, else just the package's name and
// version. The engine asks for it only for code generation, conversion and import, not to run
// programs.
func Schema(spec Spec) []byte {
	if exe, err := os.Executable(); err == nil {
		if data, err := os.ReadFile(filepath.Join(filepath.Dir(exe), "..", "share",
			"pulumi-resource-"+spec.Name+".schema.json")); err == nil {
			return data
		}
	}
	return []byte(fmt.Sprintf(`{"name":%q,"version":%q}`, spec.Name, spec.Version))
}

// Main serves a plugin-framework provider over gRPC, as the Pulumi engine expects of a
// resource plugin.
func Main(spec Spec, newProvider func() pfprovider.Provider) {
	ctx := context.Background()
	info := Info(spec, pftfbridge.ShimProvider(newProvider()))
	pftfbridge.Main(ctx, spec.Name, info, pftfbridge.ProviderMetadata{
		XGetSchema: func(context.Context, plugin.GetSchemaRequest) ([]byte, error) {
			return Schema(spec), nil
		},
	})
}
