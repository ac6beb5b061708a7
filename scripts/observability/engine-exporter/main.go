// engine-exporter: per-container resource and hardening metrics for Prometheus, read from the
// Docker Engine API (GET requests only: container list, inspect, one-shot stats) over its socket.
// The standard library only; built static (CGO_ENABLED=0) by scripts/observability/build.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

type summary struct {
	ID    string   `json:"Id"`
	Names []string `json:"Names"`
	Image string   `json:"Image"`
}

type mount struct {
	Source      string `json:"Source"`
	Destination string `json:"Destination"`
	RW          bool   `json:"RW"`
}

type inspect struct {
	ID           string `json:"Id"`
	Name         string `json:"Name"`
	RestartCount int    `json:"RestartCount"`
	State        struct {
		StartedAt string `json:"StartedAt"`
	} `json:"State"`
	Config struct {
		User   string            `json:"User"`
		Image  string            `json:"Image"`
		Labels map[string]string `json:"Labels"`
	} `json:"Config"`
	HostConfig struct {
		Privileged     bool     `json:"Privileged"`
		NetworkMode    string   `json:"NetworkMode"`
		PidMode        string   `json:"PidMode"`
		IpcMode        string   `json:"IpcMode"`
		UTSMode        string   `json:"UTSMode"`
		CapAdd         []string `json:"CapAdd"`
		ReadonlyRootfs bool     `json:"ReadonlyRootfs"`
		NanoCpus       int64    `json:"NanoCpus"`
		CpuQuota       int64    `json:"CpuQuota"`
		CpuPeriod      int64    `json:"CpuPeriod"`
	} `json:"HostConfig"`
	Mounts []mount `json:"Mounts"`
}

type stats struct {
	CPUStats struct {
		CPUUsage struct {
			TotalUsage uint64 `json:"total_usage"`
		} `json:"cpu_usage"`
	} `json:"cpu_stats"`
	MemoryStats struct {
		Usage uint64            `json:"usage"`
		Limit uint64            `json:"limit"`
		Stats map[string]uint64 `json:"stats"`
	} `json:"memory_stats"`
}

type engine struct {
	client  *http.Client
	timeout time.Duration
}

func newEngine(socket string, timeout time.Duration) *engine {
	transport := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
	}
	return &engine{client: &http.Client{Transport: transport, Timeout: timeout}, timeout: timeout}
}

func (e *engine) get(path string, into any) error {
	resp, err := e.client.Get("http://engine" + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 64<<20)).Decode(into)
}

// label escapes a label value as the text exposition format wants it (names and images are
// the engine's data: backslash, quote and newline are escaped).
func label(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return r.Replace(v)
}

func b2f(b bool) int {
	if b {
		return 1
	}
	return 0
}

func host(mode string) bool { return mode == "host" }

// hardened: what the live audit's most severe rules check, from inspect data alone.
func hardened(c *inspect) bool {
	h := c.HostConfig
	if h.Privileged || host(h.NetworkMode) || host(h.PidMode) || host(h.IpcMode) || host(h.UTSMode) {
		return false
	}
	if len(h.CapAdd) > 0 || !h.ReadonlyRootfs {
		return false
	}
	user := strings.SplitN(c.Config.User, ":", 2)[0]
	if user == "" || user == "0" || user == "root" {
		return false
	}
	// A socket mount is an accepted exception only when it is read-only and the container says
	// why (the suppression SecureService's overrides.engineSocket writes, as the audit reads it).
	accepted := strings.TrimSpace(c.Config.Labels[socketSuppression]) != ""
	for _, m := range c.Mounts {
		if strings.HasSuffix(m.Source, "docker.sock") || m.Source == "/var/run" || m.Source == "/run" {
			if m.RW || !accepted {
				return false
			}
		}
	}
	return true
}

// The label that records why a container mounts the engine's socket.
const socketSuppression = "shipshape.io/suppress.docker-socket-mount"

type family struct {
	name, help, kind string
	lines            []string
}

func (e *engine) collect() (map[string]*family, bool) {
	fams := map[string]*family{}
	add := func(name, kind, help, labels string, value float64) {
		f := fams[name]
		if f == nil {
			f = &family{name: name, help: help, kind: kind}
			fams[name] = f
		}
		f.lines = append(f.lines, fmt.Sprintf("%s{%s} %g", name, labels, value))
	}
	var list []summary
	if err := e.get("/containers/json", &list); err != nil {
		log.Printf("engine-exporter: the engine does not answer: %v", err)
		return fams, false
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range list {
		wg.Add(1)
		go func(s summary) {
			defer wg.Done()
			var c inspect
			if err := e.get("/containers/"+url.PathEscape(s.ID)+"/json", &c); err != nil {
				return
			}
			var st stats
			if err := e.get("/containers/"+url.PathEscape(s.ID)+"/stats?stream=false&one-shot=true", &st); err != nil {
				return
			}
			name := strings.TrimPrefix(c.Name, "/")
			labels := fmt.Sprintf(`name="%s",id="%s",image="%s"`, label(name), label(c.ID), label(c.Config.Image))
			cpuLimit := 1.0
			if c.HostConfig.NanoCpus > 0 {
				cpuLimit = float64(c.HostConfig.NanoCpus) / 1e9
			} else if c.HostConfig.CpuQuota > 0 {
				period := c.HostConfig.CpuPeriod
				if period <= 0 {
					period = 100000
				}
				cpuLimit = float64(c.HostConfig.CpuQuota) / float64(period)
			}
			cache := st.MemoryStats.Stats["inactive_file"]
			if cache == 0 {
				cache = st.MemoryStats.Stats["total_inactive_file"]
			}
			used := st.MemoryStats.Usage
			if cache < used {
				used -= cache
			}
			started := 0.0
			if t, err := time.Parse(time.RFC3339Nano, c.State.StartedAt); err == nil {
				started = float64(t.UnixNano()) / 1e9
			}
			mu.Lock()
			defer mu.Unlock()
			add("shipshape_container_cpu_usage_seconds_total", "counter", "CPU time the container used.", labels, float64(st.CPUStats.CPUUsage.TotalUsage)/1e9)
			add("shipshape_container_cpu_limit_cores", "gauge", "The container's CPU limit in CPUs (1 without a limit: usage is then a share of one CPU, as docker stats shows).", labels, cpuLimit)
			add("shipshape_container_memory_usage_bytes", "gauge", "Memory in use, without reclaimable page cache.", labels, float64(used))
			add("shipshape_container_memory_limit_bytes", "gauge", "The container's memory limit (the host's memory without one).", labels, float64(st.MemoryStats.Limit))
			add("shipshape_container_restarts", "gauge", "Restarts by the container's restart policy.", labels, float64(c.RestartCount))
			add("shipshape_container_started_time_seconds", "gauge", "When the container last started (Unix time).", labels, started)
			add("shipshape_container_privileged", "gauge", "1 when the container runs privileged.", labels, float64(b2f(c.HostConfig.Privileged)))
			add("shipshape_container_hardened", "gauge", "1 when the container is non-root, read-only, adds no capabilities, shares no host namespace and mounts no engine socket (but read-only with a recorded reason).", labels, float64(b2f(hardened(&c))))
		}(s)
	}
	wg.Wait()
	return fams, true
}

func main() {
	listen := flag.String("listen", "127.0.0.1:9323", "address to serve /metrics on")
	socket := flag.String("socket", "/var/run/docker.sock", "the Docker engine's socket")
	timeout := flag.Duration("timeout", 10*time.Second, "bound on each Engine API request")
	flag.Parse()
	e := newEngine(*socket, *timeout)
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "GET only", http.StatusMethodNotAllowed)
			return
		}
		fams, up := e.collect()
		names := make([]string, 0, len(fams))
		for n := range fams {
			names = append(names, n)
		}
		sort.Strings(names)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "# HELP shipshape_engine_up 1 when the Engine API answered this scrape.\n# TYPE shipshape_engine_up gauge\nshipshape_engine_up %d\n", b2f(up))
		for _, n := range names {
			f := fams[n]
			sort.Strings(f.lines)
			fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s\n", f.name, f.help, f.name, f.kind, strings.Join(f.lines, "\n"))
		}
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("engine-exporter: serving http://%s/metrics from %s", *listen, *socket)
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintf(os.Stderr, "engine-exporter: %v\n", err)
		os.Exit(1)
	}
}
