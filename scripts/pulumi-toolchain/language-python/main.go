// Command pulumi-language-python is shipshape's own Python language host for the Pulumi engine.
//
// Upstream's host (module github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is
// not served by the Go module proxy reachable here, so this is a small LanguageRuntime gRPC server
// on the released Go SDK and codegen (github.com/pulumi/pulumi/{sdk,pkg}/v3 at the CLI's
// version), like ./language-nodejs. The Python SDK itself is the `pulumi` package from PyPI, at
// the same version, in the virtual environment scripts/python-venv.sh makes.
//
//   - Run: starts the virtual environment's python on run.py (embedded), which connects the SDK to
//     the engine and runs the program inside the root stack; exit code 32 = already reported.
//   - GetRequiredPackages/Plugins: the pulumi-plugin.json files of the installed packages (a
//     generated SDK ships one).
//   - InstallDependencies: creates the program's own virtual environment (runtime option
//     `virtualenv`) on top of the shared one and pip-installs requirements.txt into it.
//   - GeneratePackage (pulumi package gen-sdk / add --language python) with pkg/v3/codegen/python,
//     Link (package add: the SDK's path goes into requirements.txt), About, GetProgramDependencies.
//
// Everything else (program conversion, packing, templates) answers Unimplemented.
package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set with -ldflags "-X main.version=..." by scripts/pulumi-toolchain/build.sh.
var version = "0.0.0-dev"

//go:embed run.py
var runScript string

// exitCodeBail: run.py has already reported the error through the engine.
const exitCodeBail = 32

func main() {
	flag.String("tracing", "", "ignored: tracing endpoint")
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
		fmt.Fprintf(os.Stderr, "pulumi-language-python: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
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

// sharedVenv is the virtual environment setup makes ($SHIPSHAPE_PYTHON_VENV, else
// $SHIPSHAPE_CACHE/python/venv, else ~/.cache/shipshape/python/venv): `pulumi` from PyPI.
func sharedVenv() string {
	if v := os.Getenv("SHIPSHAPE_PYTHON_VENV"); v != "" {
		return v
	}
	cache := os.Getenv("SHIPSHAPE_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, _ := os.UserHomeDir()
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "shipshape")
	}
	return filepath.Join(cache, "python", "venv")
}

func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	return pwd
}

// programVenv is the program's own environment (runtime option `virtualenv`, relative to the
// program directory) or "" when it has none and runs in the shared one.
func programVenv(info *pulumirpc.ProgramInfo, dir string) string {
	if info == nil || info.GetOptions() == nil {
		return ""
	}
	v, ok := info.GetOptions().AsMap()["virtualenv"].(string)
	if !ok || strings.TrimSpace(v) == "" {
		return ""
	}
	if filepath.IsAbs(v) {
		return v
	}
	return filepath.Join(dir, v)
}

// venvFor is the environment a program runs in; it must exist.
func venvFor(info *pulumirpc.ProgramInfo, dir string) (string, error) {
	venv := programVenv(info, dir)
	if venv == "" {
		venv = sharedVenv()
		if _, err := os.Stat(filepath.Join(venv, "bin", "python")); err != nil {
			return "", fmt.Errorf("the Python virtual environment %s is missing: run scripts/setup.sh "+
				"(scripts/python-venv.sh makes it with pulumi from PyPI)", venv)
		}
		return venv, nil
	}
	if _, err := os.Stat(filepath.Join(venv, "bin", "python")); err != nil {
		return "", fmt.Errorf("the program's virtual environment %s is missing: run `pulumi install`", venv)
	}
	return venv, nil
}

func venvEnv(venv string, extra ...string) []string {
	env := make([]string, 0, len(os.Environ())+len(extra)+2)
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYTHONHOME=") || strings.HasPrefix(kv, "VIRTUAL_ENV=") || strings.HasPrefix(kv, "PATH=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "VIRTUAL_ENV="+venv, "PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PYTHONUNBUFFERED=1")
	return append(env, extra...)
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

func (h *languageHost) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	venv, err := venvFor(req.GetInfo(), dir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	program := req.GetProgram()
	if program == "" {
		program = req.GetInfo().GetEntryPoint()
	}
	if program == "" {
		program = "."
	}
	if !filepath.IsAbs(program) {
		program = filepath.Join(dir, program)
	}

	args := []string{"-u", "-c", runScript, "--monitor=" + req.GetMonitorAddress()}
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
	args = append(args, program)

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
	cmd := exec.Command(filepath.Join(venv, "bin", "python"), args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = venvEnv(venv, "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start python: %v", err)}, nil
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

// pluginFile is a package's pulumi-plugin.json, as generated SDKs ship it.
type pluginFile struct {
	Resource bool   `json:"resource"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Server   string `json:"server"`
}

// sitePackages lists the site-packages directories of a virtual environment and, for a program's
// own environment, those its .pth files add (the shared environment) and local path requirements.
func sitePackages(venv string) []string {
	dirs, _ := filepath.Glob(filepath.Join(venv, "lib", "python*", "site-packages"))
	var out []string
	for _, d := range dirs {
		out = append(out, d)
		pths, _ := filepath.Glob(filepath.Join(d, "*.pth"))
		for _, p := range pths {
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			s := bufio.NewScanner(f)
			for s.Scan() {
				line := strings.TrimSpace(s.Text())
				if filepath.IsAbs(line) {
					if st, err := os.Stat(line); err == nil && st.IsDir() {
						out = append(out, line)
					}
				}
			}
			_ = f.Close()
		}
	}
	return out
}

func requiredPackages(venv string) []*pulumirpc.PackageDependency {
	found := map[string]*pulumirpc.PackageDependency{}
	for _, sp := range sitePackages(venv) {
		files, _ := filepath.Glob(filepath.Join(sp, "*", "pulumi-plugin.json"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			var p pluginFile
			if json.Unmarshal(data, &p) != nil || !p.Resource {
				continue
			}
			name := p.Name
			if name == "" {
				name = strings.TrimPrefix(strings.ReplaceAll(filepath.Base(filepath.Dir(f)), "_", "-"), "pulumi-")
			}
			v := p.Version
			if v != "" && !strings.HasPrefix(v, "v") {
				v = "v" + v
			}
			key := name + "@" + v
			if _, dup := found[key]; !dup {
				found[key] = &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: v, Server: p.Server}
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

func (h *languageHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	venv, err := venvFor(req.GetInfo(), programDir(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: requiredPackages(venv)}, nil
}

func (h *languageHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	venv, err := venvFor(req.GetInfo(), programDir(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	var plugins []*pulumirpc.PluginDependency
	for _, p := range requiredPackages(venv) {
		plugins = append(plugins, &pulumirpc.PluginDependency{Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// pipList is `python -m pip list --format json` in a virtual environment.
func pipList(ctx context.Context, venv string) ([]*pulumirpc.DependencyInfo, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(venv, "bin", "python"), "-m", "pip", "list", "--format", "json",
		"--disable-pip-version-check")
	cmd.Env = venvEnv(venv)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("pip list in %s: %w", venv, err)
	}
	var pkgs []struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(out, &pkgs); err != nil {
		return nil, fmt.Errorf("pip list in %s: %w", venv, err)
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(pkgs))
	for _, p := range pkgs {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return deps, nil
}

func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	venv, err := venvFor(req.GetInfo(), programDir(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	deps, err := pipList(ctx, venv)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	venv, err := venvFor(req.GetInfo(), programDir(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	python := filepath.Join(venv, "bin", "python")
	out, err := exec.CommandContext(ctx, python, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("python --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: python,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "Python "),
		Metadata: map[string]string{
			"languageHost": "shipshape pulumi-language-python " + version,
			"virtualenv":   venv,
		},
	}, nil
}

// InstallDependencies makes the program's own virtual environment when it names one: created
// from the shared environment's python, seeing the shared site-packages through a .pth file (so
// `pulumi` from setup is there without a download), with requirements.txt pip-installed into it
// (a local SDK is built with the shared setuptools, no build isolation). A program without its own
// environment runs in the shared one, which this never changes.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDir(req.GetInfo(), "")
	requirements := filepath.Join(dir, "requirements.txt")
	_, reqErr := os.Stat(requirements)
	venv := programVenv(req.GetInfo(), dir)
	if venv == "" {
		if reqErr == nil {
			return fmt.Errorf("%s has a requirements.txt but Pulumi.yaml names no virtual environment: set "+
				"runtime.options.virtualenv (the shared environment %s is never changed)", dir, sharedVenv())
		}
		_, err := venvFor(req.GetInfo(), dir)
		return err
	}
	shared := sharedVenv()
	base := filepath.Join(shared, "bin", "python")
	if _, err := os.Stat(base); err != nil {
		return fmt.Errorf("the Python virtual environment %s is missing: run scripts/setup.sh", shared)
	}
	send := func(out []byte) error {
		return stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: out})
	}
	if _, err := os.Stat(filepath.Join(venv, "bin", "python")); err != nil {
		cmd := exec.CommandContext(stream.Context(), base, "-m", "venv", "--without-pip", venv)
		if out, err := cmd.CombinedOutput(); err != nil {
			_ = send(out)
			return fmt.Errorf("python -m venv %s: %w", venv, err)
		}
		sp := sitePackages(venv)
		sharedSP := sitePackages(shared)
		if len(sp) == 0 || len(sharedSP) == 0 {
			return fmt.Errorf("no site-packages in %s or %s", venv, shared)
		}
		if err := os.WriteFile(filepath.Join(sp[0], "shipshape-shared-venv.pth"), []byte(sharedSP[0]+"\n"), 0o644); err != nil {
			return err
		}
		if err := send([]byte(fmt.Sprintf("created %s on top of %s\n", venv, shared))); err != nil {
			return err
		}
	}
	if reqErr != nil {
		return nil
	}
	cmd := exec.CommandContext(stream.Context(), filepath.Join(venv, "bin", "python"), "-m", "pip", "install",
		"--disable-pip-version-check", "--no-build-isolation", "-r", requirements)
	cmd.Dir = dir
	cmd.Env = venvEnv(venv)
	out, err := cmd.CombinedOutput()
	if sendErr := send(out); sendErr != nil {
		return sendErr
	}
	if err != nil {
		return fmt.Errorf("pip install -r %s: %w", requirements, err)
	}
	return nil
}

// GeneratePackage writes the Python SDK of a schema (pulumi package gen-sdk / package add).
func (h *languageHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("the package schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
	}
	files, err := python.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), loader)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
}

// Link (pulumi package add) puts each generated SDK's path into the program's requirements.txt;
// InstallDependencies then installs it into the program's environment.
func (h *languageHost) Link(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := programDir(req.GetInfo(), "")
	requirements := filepath.Join(dir, "requirements.txt")
	existing, err := os.ReadFile(requirements)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(existing), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		lines = nil
	}
	var instructions []string
	for _, dep := range req.GetPackages() {
		path := dep.GetPath()
		seen := false
		for _, l := range lines {
			if strings.TrimSpace(l) == path {
				seen = true
			}
		}
		if !seen {
			lines = append(lines, path)
		}
		name := dep.GetPackage().GetName()
		if p := dep.GetPackage().GetParameterization(); p != nil && p.GetName() != "" {
			name = p.GetName()
		}
		module := "pulumi_" + strings.ReplaceAll(name, "-", "_")
		instructions = append(instructions, fmt.Sprintf("You can then import the SDK in your Python code with:\n\n  import %s as %s\n",
			module, strings.ReplaceAll(name, "-", "_")))
	}
	if err := os.WriteFile(requirements, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{ImportInstructions: strings.Join(instructions, "\n")}, nil
}
