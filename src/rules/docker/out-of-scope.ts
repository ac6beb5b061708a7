import type { OutOfScope } from "../out-of-scope";

const LIVE = "it needs a running engine, not a file, and comes with `shipshape audit --docker`.";
const HOST = "it is a property of the host, not of daemon.json, a Dockerfile or a Compose file.";

/** Docker checks of CIS, checkov, KICS and hadolint that shipshape does not implement, and why. */
export const dockerOutOfScope: readonly OutOfScope[] = [
  // CIS Docker Benchmark 1.6, sections 1 and 3: host and file-permission checks.
  {
    framework: "cis",
    id: "1.1.1",
    title: "Ensure a separate partition for containers has been created",
    reason: `Not checked: ${HOST}`,
  },
  {
    framework: "cis",
    id: "1.1.3",
    title: "Ensure auditing is configured for the Docker daemon (and 1.1.4–1.1.18 for its files)",
    reason: `Not checked: auditd rules are ${HOST.replace("it is ", "")}`,
  },
  {
    framework: "cis",
    id: "3.1",
    title: "Ensure docker.service / docker.socket / daemon.json file ownership and permissions (3.1–3.24)",
    reason: `Not checked: ${HOST}`,
  },
  // Section 4: build-file checks that need the built image or a human judgement.
  {
    framework: "cis",
    id: "4.2",
    title: "Ensure that containers use only trusted base images",
    reason:
      "A judgement about provenance; shipshape pins base images (dockerfile-base-image-digest) and the policy pack's registry allow-list restricts deployed images.",
  },
  {
    framework: "cis",
    id: "4.3",
    title: "Ensure that unnecessary packages are not installed in the container",
    reason: "Which packages are necessary depends on the application; no file shows it.",
  },
  {
    framework: "cis",
    id: "4.4",
    title: "Ensure images are scanned and rebuilt to include security patches",
    reason:
      "A process, not a configuration: no file or engine setting says whether an image was scanned (the policy pack's image-not-verified asks a stack for scan or signature evidence).",
  },
  {
    framework: "cis",
    id: "4.5",
    title: "Ensure Content trust for Docker is Enabled",
    reason:
      "DOCKER_CONTENT_TRUST is a client environment variable, not part of any audited file (HardenedDaemon's clientEnvironment and daemon-config --enable-content-trust give it to clients).",
  },
  {
    framework: "cis",
    id: "4.8",
    title: "Ensure setuid and setgid permissions are removed",
    reason: "Needs the built image's filesystem, which a Dockerfile does not show.",
  },
  // Section 5: runtime checks without a configuration counterpart.
  {
    framework: "cis",
    id: "5.1",
    title: "Ensure swarm mode is not Enabled, if not needed",
    reason: `Not checked: ${LIVE}`,
  },
  {
    framework: "cis",
    id: "5.3",
    title: "Ensure that, if applicable, SELinux security options are set",
    reason:
      "Only applies on SELinux hosts, which no file reveals; weakening SELinux is caught by selinux-options.",
  },
  {
    framework: "cis",
    id: "5.7",
    title: "Ensure sshd is not run within containers",
    reason: `Not checked directly: ${LIVE} dockerfile-expose-ssh catches images that expose SSH.`,
  },
  {
    framework: "cis",
    id: "5.9",
    title: "Ensure that only needed ports are open on the container",
    reason:
      "Which ports are needed is an application decision; ports-all-interfaces and host-ports cover how they are published.",
  },
  {
    framework: "cis",
    id: "5.19",
    title: "Ensure that the default ulimit is overwritten at runtime if needed",
    reason:
      "Only 'if needed', which no file shows; the daemon-wide default is checked by daemon-default-ulimits.",
  },
  {
    framework: "cis",
    id: "5.23",
    title: "Ensure that docker exec commands are not used with the privileged option",
    reason:
      "docker exec is an interactive command, not configuration; it leaves traces only in the engine's audit log.",
  },
  {
    framework: "cis",
    id: "5.24",
    title: "Ensure that docker exec commands are not used with the user=root option",
    reason:
      "docker exec is an interactive command, not configuration; it leaves traces only in the engine's audit log.",
  },
  {
    framework: "cis",
    id: "5.25",
    title: "Ensure that cgroup usage is confirmed",
    reason:
      "The model does not carry a container's cgroup_parent; the daemon-wide setting is checked by daemon-cgroup-parent.",
  },
  {
    framework: "cis",
    id: "5.27",
    title: "Ensure that container health is checked at runtime",
    reason:
      "A Compose service or container usually inherits its HEALTHCHECK from the image, which its file does not show; images are checked by dockerfile-healthcheck and Kubernetes pods by liveness-probe.",
  },
  {
    framework: "cis",
    id: "5.28",
    title: "Ensure that Docker commands always make use of the latest version of their image",
    reason: "About how images are pulled at run time, not configuration; image pinning is checked instead.",
  },
  // checkov Dockerfile checks that are not about security.
  {
    framework: "checkov",
    id: "CKV_DOCKER_6",
    title: "Ensure that LABEL maintainer is used instead of MAINTAINER",
    reason: "Deprecated syntax, not a security control.",
  },
  {
    framework: "checkov",
    id: "CKV_DOCKER_9",
    title: "Ensure that APT isn't used",
    reason: "apt versus apt-get is about script stability, not security.",
  },
  {
    framework: "checkov",
    id: "CKV_DOCKER_10",
    title: "Ensure that WORKDIR values are absolute paths",
    reason: "Build correctness, not security; hadolint DL3000 covers it.",
  },
  {
    framework: "checkov",
    id: "CKV_DOCKER_11",
    title: "Ensure From Alias are unique for multistage builds",
    reason: "Build correctness, not security; hadolint DL3024 covers it.",
  },
  // KICS docker-compose queries.
  {
    framework: "kics",
    id: "610e266e-6c12-4bca-9925-1ed0cd29742b",
    title: "Security Opt Not Set",
    reason:
      "Having a security_opt key is not a control; what the options do is checked by privilege-escalation, seccomp-unconfined and apparmor-unconfined.",
  },
  {
    framework: "kics",
    id: "8c978947-0ff6-485c-b0c2-0bfca6026466",
    title: "Shared Volumes Between Containers",
    reason:
      "Sharing a volume is a normal, deliberate design (sidecars, workers) and would be noise; KICS rates it informational.",
  },
  {
    framework: "kics",
    id: "4d9f44c6-2f4a-4317-9bb5-267adbea0232",
    title: "Cgroup Not Default",
    reason:
      "The model does not carry a container's cgroup_parent; the daemon-wide setting is checked by daemon-cgroup-parent.",
  },
  {
    framework: "kics",
    id: "698ed579-b239-4f8f-a388-baa4bcb13ef8",
    title: "Healthcheck Not Set",
    reason:
      "A service usually inherits its health check from the image, which a Compose file does not show; images are checked by dockerfile-healthcheck.",
  },
  // hadolint rules that are about style, reproducibility or correctness rather than security.
  {
    framework: "hadolint",
    id: "DL3001",
    title: "Commands that make no sense in a container (ssh, vim, shutdown…)",
    reason: "Style; an SSH server is caught by dockerfile-expose-ssh.",
  },
  {
    framework: "hadolint",
    id: "DL3008",
    title:
      "Pin versions in apt-get install (and DL3013, DL3016, DL3018, DL3028, DL3033, DL3037, DL3041, DL3062 for other package managers)",
    reason:
      "Package pinning is about reproducibility; shipshape pins the base image by digest and leaves package pins to hadolint.",
  },
  {
    framework: "hadolint",
    id: "DL3026",
    title: "Use only an allowed registry in the FROM image",
    reason:
      "Needs an organisation's allow-list; the policy pack's registry allow-list covers deployed images.",
  },
  {
    framework: "hadolint",
    id: "DL4006",
    title: "Set the SHELL option -o pipefail",
    reason: "Build robustness (a failing download piped into a shell goes unnoticed), not a runtime control.",
  },
];
