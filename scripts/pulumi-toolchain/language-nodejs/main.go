// Command pulumi-language-nodejs is shipshape's own Node.js language host for the Pulumi engine.
//
// Upstream's host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is
// not served by the Go module proxy reachable here, so this is a small re-implementation of the
// LanguageRuntime gRPC service on top of the released Go SDK (github.com/pulumi/pulumi/sdk/v3,
// built at the same version as the npm @pulumi/pulumi package). It does what `pulumi up`,
// `preview`, `destroy`, `about` and Node policy packs need:
//
//   - Run: starts `node <@pulumi/pulumi>/cmd/run` with the flags that script documents, the
//     stack configuration in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS, and maps its exit code
//     (32 = "error already reported") to the engine's bail signal;
//   - RunPlugin: starts `cmd/run-policy-pack` (analyzers) or `cmd/run-plugin` (providers written
//     in Node), streaming their stdout/stderr back to the engine;
//   - GetRequiredPackages/Plugins: reads the "pulumi" stanza of the package.json files under
//     node_modules, as the npm packages of resource providers declare themselves;
//   - About, GetProgramDependencies, GetPluginInfo, Handshake.
//
// Everything else (code generation, packing, templates) answers Unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set with -ldflags "-X main.version=..." by scripts/pulumi-toolchain/build.sh.
var version = "0.0.0-dev"

// exitCodeBail is the exit code @pulumi/pulumi's run script uses after it has already reported a
// user-actionable error through the engine (see nodeJSProcessExitedAfterLoggingUserActionableMessage).
const exitCodeBail = 32

func main() {
	flag.String("tracing", "", "ignored: tracing endpoint")
	flag.Bool("typescript", true, "ignored: TypeScript is handled by @pulumi/pulumi's run script")
	flag.String("root", "", "ignored: project root")
	flag.Parse()

	host := &languageHost{}
	if args := flag.Args(); len(args) > 0 {
		host.engineAddress = args[0]
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	running       []*exec.Cmd
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// nodeBinary finds node on PATH (scripts/env.sh puts the project's Node first).
func nodeBinary() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find `node` on PATH; source scripts/env.sh or install Node.js")
	}
	return node, nil
}

// resolveModule asks node where a module is, from dir, honouring node_modules lookup and NODE_PATH.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e", "process.stdout.write(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not resolve %s from %s (is @pulumi/pulumi installed? run npm install): %v: %s",
			module, dir, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	return pwd
}

// runtimeOptionEnv turns Pulumi.yaml `runtime.options` into the environment the run scripts read.
func runtimeOptionEnv(info *pulumirpc.ProgramInfo) []string {
	if info == nil || info.GetOptions() == nil {
		return nil
	}
	var env []string
	opts := info.GetOptions().AsMap()
	if v, ok := opts["typescript"].(bool); ok && !v {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=false")
	}
	if v, ok := opts["tsconfig"].(string); ok && v != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}
	if v, ok := opts["transpileOnly"].(bool); ok && v {
		env = append(env, "PULUMI_NODEJS_TRANSPILE_ONLY=true")
	}
	return env
}

func nodeArgs(info *pulumirpc.ProgramInfo) []string {
	if info == nil || info.GetOptions() == nil {
		return nil
	}
	if v, ok := info.GetOptions().AsMap()["nodeargs"].(string); ok && strings.TrimSpace(v) != "" {
		return strings.Fields(v)
	}
	return nil
}

func (h *languageHost) track(cmd *exec.Cmd) func() {
	h.mu.Lock()
	h.running = append(h.running, cmd)
	h.mu.Unlock()
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		for i, c := range h.running {
			if c == cmd {
				h.running = append(h.running[:i], h.running[i+1:]...)
				break
			}
		}
	}
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.running {
		if c.Process != nil {
			_ = c.Process.Signal(syscall.SIGINT)
		}
	}
	return &emptypb.Empty{}, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	node, err := nodeBinary()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	dir := programDir(req.GetInfo(), req.GetPwd())
	runScript, err := resolveModule(ctx, node, dir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append([]string{}, nodeArgs(req.GetInfo())...)
	args = append(args, runScript, "--monitor="+req.GetMonitorAddress())
	h.mu.Lock()
	engine := h.engineAddress
	h.mu.Unlock()
	if engine != "" {
		args = append(args, "--engine="+engine)
	}
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	args = append(args, "--project="+req.GetProject(), "--stack="+req.GetStack(), "--pwd="+req.GetPwd())
	if root := req.GetInfo().GetRootDirectory(); root != "" {
		args = append(args, "--root-directory="+root)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	program := req.GetProgram()
	if program == "" {
		program = req.GetInfo().GetEntryPoint()
	}
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	configJSON, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	cmd.Env = append(cmd.Env, runtimeOptionEnv(req.GetInfo())...)
	// The program's console output goes to the engine through our own stdout/stderr.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start node: %v", err)}, nil
	}
	defer h.track(cmd)()
	err = cmd.Wait()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeBail:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
}

// streamWriter forwards a child's output to a RunPlugin stream.
type streamWriter struct {
	mu     *sync.Mutex
	stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	data := append([]byte(nil), p...)
	resp := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: data}}
	if w.stderr {
		resp = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: data}}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.stream.Send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	node, err := nodeBinary()
	if err != nil {
		return err
	}
	dir := programDir(req.GetInfo(), req.GetPwd())
	module := "@pulumi/pulumi/cmd/run-plugin"
	if req.GetKind() == "analyzer" {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	script, err := resolveModule(stream.Context(), node, dir, module)
	if err != nil {
		return err
	}
	args := append([]string{}, nodeArgs(req.GetInfo())...)
	args = append(args, script)
	if req.GetKind() == "analyzer" {
		// run-policy-pack: <engine address> <pack directory>
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		// run-plugin: <plugin directory> <plugin args: the engine address>
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), req.GetEnv()...)
	cmd.Env = append(cmd.Env, runtimeOptionEnv(req.GetInfo())...)
	var mu sync.Mutex
	cmd.Stdout = streamWriter{mu: &mu, stream: stream}
	cmd.Stderr = streamWriter{mu: &mu, stream: stream, stderr: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node: %w", err)
	}
	defer h.track(cmd)()
	go func() {
		<-stream.Context().Done()
		if cmd.ProcessState == nil && cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
	}()
	code := int32(0)
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = int32(exitErr.ExitCode())
	}
	mu.Lock()
	defer mu.Unlock()
	return stream.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

type npmPackage struct {
	Name         string            `json:"name"`
	Version      string            `json:"version"`
	Dependencies map[string]string `json:"dependencies"`
	// PulumiPlugins: the npm packages whose resource plugins a plugin directory needs (see requiredPackages).
	PulumiPlugins []string `json:"pulumiPlugins"`
	Pulumi        *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackage(path string) (*npmPackage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pkg npmPackage
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &pkg, nil
}

// nodeModulesDirs returns the node_modules folders visible from dir (dir and its parents, then NODE_PATH).
func nodeModulesDirs(dir string) []string {
	var dirs []string
	seen := map[string]bool{}
	add := func(d string) {
		if d == "" || seen[d] {
			return
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		add(filepath.Join(d, "node_modules"))
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	for _, d := range filepath.SplitList(os.Getenv("NODE_PATH")) {
		add(d)
	}
	return dirs
}

// providerPackages lists the resource plugins declared by installed npm packages.
func providerPackages(dir string) []*pulumirpc.PackageDependency {
	found := map[string]*pulumirpc.PackageDependency{}
	for _, nm := range nodeModulesDirs(dir) {
		var candidates []string
		entries, _ := os.ReadDir(nm)
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if strings.HasPrefix(name, "@") {
				scoped, _ := os.ReadDir(filepath.Join(nm, name))
				for _, s := range scoped {
					candidates = append(candidates, filepath.Join(nm, name, s.Name(), "package.json"))
				}
				continue
			}
			candidates = append(candidates, filepath.Join(nm, name, "package.json"))
		}
		for _, c := range candidates {
			pkg, err := readPackage(c)
			if err != nil || pkg.Pulumi == nil || !pkg.Pulumi.Resource {
				continue
			}
			name := pkg.Pulumi.Name
			if name == "" {
				name = strings.TrimPrefix(pkg.Name, "@pulumi/")
			}
			v := pkg.Pulumi.Version
			if v == "" {
				v = pkg.Version
			}
			if v != "" && !strings.HasPrefix(v, "v") {
				v = "v" + v
			}
			key := name + "@" + v
			if _, dup := found[key]; !dup {
				found[key] = &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: v, Server: pkg.Pulumi.Server}
			}
		}
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, k := range keys {
		out = append(out, found[k])
	}
	return out
}

// requiredPackages: the plugins a program needs, or for a plugin directory (a PulumiPlugin.yaml,
// as provider/ is for `pulumi package add`) only those of the npm packages its package.json lists
// under "pulumiPlugins", not every provider package in the node_modules it shares with the
// repository (that would make `package add` fetch plugins it never uses, kubernetes among them).
// A list, not "dependencies": InstallDependencies would npm-install those into the plugin directory.
func requiredPackages(dir string) []*pulumirpc.PackageDependency {
	all := providerPackages(dir)
	if _, err := os.Stat(filepath.Join(dir, "PulumiPlugin.yaml")); err != nil {
		return all
	}
	own, err := readPackage(filepath.Join(dir, "package.json"))
	if err != nil {
		return all
	}
	var out []*pulumirpc.PackageDependency
	for _, p := range all {
		for _, name := range own.PulumiPlugins {
			if name == "@pulumi/"+p.Name || name == p.Name {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

func (h *languageHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{Packages: requiredPackages(programDir(req.GetInfo(), ""))}, nil
}

func (h *languageHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	var plugins []*pulumirpc.PluginDependency
	for _, p := range requiredPackages(programDir(req.GetInfo(), "")) {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *languageHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), "")
	root, err := readPackage(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "reading package.json: %v", err)
	}
	names := make([]string, 0, len(root.Dependencies))
	for n := range root.Dependencies {
		names = append(names, n)
	}
	sort.Strings(names)
	var deps []*pulumirpc.DependencyInfo
	for _, n := range names {
		v := root.Dependencies[n]
		for _, nm := range nodeModulesDirs(dir) {
			if pkg, err := readPackage(filepath.Join(nm, n, "package.json")); err == nil {
				v = pkg.Version
				break
			}
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *languageHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeBinary()
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "shipshape pulumi-language-nodejs " + version},
	}, nil
}

func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDir(req.GetInfo(), "")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		return nil
	}
	cmd := exec.CommandContext(stream.Context(), "npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if sendErr := stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: out}); sendErr != nil {
		return sendErr
	}
	if err != nil {
		return fmt.Errorf("npm install in %s: %w", dir, err)
	}
	return nil
}

var _ io.Writer = streamWriter{}
