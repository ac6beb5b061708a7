/**
 * Why: the container runtime's API socket is root on the host — whoever can talk to it can
 * start a privileged container with the host's root filesystem mounted. That holds for Docker,
 * containerd, CRI-O and Podman alike, and for a mount of the directory that holds the socket. A
 * host path under another name mounted where a client looks for the socket
 * (`/var/run/docker.sock` in the container) is the same thing: an engine with its own socket path.
 */
import { defineRule, PlatformScope } from "../rule";
import { normalizeHostPath } from "./host-paths";

/** Runtime API sockets by file name, wherever they live. */
const SOCKET_NAMES = ["docker.sock", "containerd.sock", "crio.sock", "podman.sock", "cri-dockerd.sock"];

/** Directories that hold those sockets on common distributions. */
const SOCKET_DIRS = [
  "/var/run",
  "/run",
  "/var/run/docker",
  "/run/docker",
  "/run/containerd",
  "/var/run/containerd",
  "/var/run/crio",
  "/run/crio",
  "/run/podman",
];

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);

function exposesSocket(path: string): boolean {
  return SOCKET_NAMES.includes(baseName(path)) || SOCKET_DIRS.includes(path);
}

export const dockerSocketMount = defineRule({
  id: "docker-socket-mount",
  title: "Containers do not mount the container runtime's socket",
  severity: "critical",
  rationale:
    "The Docker (or containerd, CRI-O, Podman) socket accepts requests to start privileged containers with the host filesystem mounted; mounting it hands the container root on the host.",
  remediation:
    "Remove the volume/bind mount of the runtime socket. If the workload must build or inspect images, use a rootless builder (BuildKit rootless, Kaniko) or a narrowly filtered socket proxy.",
  references: {
    cis: ["5.32"],
    kubeLinter: ["docker-sock"],
    checkov: ["CKV_K8S_27"],
    kics: ["d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const atSocketPath = new Set(
      w.containers.flatMap((c) =>
        c.mounts
          .filter((m) => SOCKET_NAMES.includes(baseName(normalizeHostPath(m.mountPath))))
          .map((m) => m.volume),
      ),
    );
    return w.volumes.flatMap((v, i) => {
      if (v.type !== "hostPath" || v.hostPath === undefined) return [];
      const byHost = exposesSocket(normalizeHostPath(v.hostPath));
      if (!byHost && !atSocketPath.has(v.name)) return [];
      return [
        {
          path: `volumes.${i}.hostPath`,
          message: byHost
            ? `volume "${v.name}" mounts host path "${v.hostPath}", which exposes the container runtime's socket (root on the host); remove it`
            : `volume "${v.name}" mounts host path "${v.hostPath}" where the container looks for the runtime's socket (root on the host); remove it`,
        },
      ];
    });
  },
});
