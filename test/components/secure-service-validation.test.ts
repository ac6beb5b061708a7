/**
 * Table of malformed SecureService args: each must fail with a message naming the field path,
 * showing the bad value and saying how to fix it, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  Capability,
  PodSecurityLevel,
  SecureService,
  type SecureServiceArgs,
  SecureServiceArgsError,
} from "../../src/components";
import { runUnderMocks } from "../../src/program/mock-run";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const kube = { namespace: "shop" };
const baseline = { namespace: "shop", podSecurityLevel: PodSecurityLevel.Baseline };

function base(over: Record<string, unknown> = {}): SecureServiceArgs {
  return {
    docker: {},
    image: `registry.example.com/shop/web@${DIGEST}`,
    ports: [{ containerPort: 8080 }],
    healthCheck: { command: ["/app/health"] },
    ...over,
  } as SecureServiceArgs;
}
const onKube = (over: Record<string, unknown> = {}) => base({ docker: undefined, kubernetes: kube, ...over });

interface Case {
  what: string;
  name?: string;
  args: unknown;
  path: string;
  message: RegExp;
}

const cases: Case[] = [
  // user
  { what: "user root", args: base({ user: "root" }), path: "user", message: /root \(uid 0\).*"10001:10001"/ },
  { what: "user 0", args: base({ user: "0" }), path: "user", message: /root \(uid 0\)/ },
  { what: "user 0:0", args: base({ user: "0:0" }), path: "user", message: /root \(uid 0\)/ },
  { what: "user 0:1000", args: base({ user: "0:1000" }), path: "user", message: /root \(uid 0\)/ },
  { what: "user root:root", args: base({ user: "root:root" }), path: "user", message: /root \(uid 0\)/ },
  { what: "user 000", args: base({ user: "000" }), path: "user", message: /root \(uid 0\)/ },
  { what: "user name", args: base({ user: "app" }), path: "user", message: /numeric/ },
  { what: "user name:group", args: base({ user: "app:app" }), path: "user", message: /numeric/ },
  { what: "user negative", args: base({ user: "-1" }), path: "user", message: /numeric/ },
  { what: "user empty", args: base({ user: "" }), path: "user", message: /numeric/ },
  { what: "user number", args: base({ user: 1000 }), path: "user", message: /must be a string/ },
  { what: "user gid 0", args: base({ user: "1000:0" }), path: "user", message: /primary group is root/ },
  { what: "user huge", args: base({ user: "4294967296" }), path: "user", message: /below 2147483648/ },
  { what: "user spaces", args: base({ user: " 1000" }), path: "user", message: /numeric/ },
  // privileged / unknown fields
  {
    what: "privileged",
    args: base({ privileged: true }),
    path: "",
    message: /unknown field\(s\) privileged/,
  },
  {
    what: "hostNetwork",
    args: base({ hostNetwork: true }),
    path: "",
    message: /unknown field\(s\) hostNetwork/,
  },
  { what: "typo in field", args: base({ replica: 2 }), path: "", message: /unknown field\(s\) replica/ },
  {
    what: "docker socket volume",
    args: base({
      volumes: [{ name: "sock", mountPath: "/var/run/docker.sock", hostPath: "/var/run/docker.sock" }],
    }),
    path: "volumes.0",
    message: /unknown field\(s\) hostPath/,
  },
  {
    what: "unknown port field",
    args: base({ ports: [{ containerPort: 80, hostIP: "0.0.0.0" }] }),
    path: "ports.0",
    message: /unknown field\(s\) hostIP/,
  },
  {
    what: "unknown resources field",
    args: base({ resources: { gpu: "1" } }),
    path: "resources",
    message: /unknown field\(s\) gpu/,
  },
  {
    what: "unknown override",
    args: base({ overrides: { privileged: { reason: "because we need it" } } }),
    path: "overrides",
    message: /unknown field\(s\) privileged/,
  },
  // capabilities
  {
    what: "unknown capability",
    args: base({ capabilities: ["NET_FOO"] }),
    path: "capabilities.0",
    message: /unknown capability "NET_FOO".*NET_BIND_SERVICE/,
  },
  {
    what: "CAP_ prefix",
    args: base({ capabilities: ["CAP_NET_BIND_SERVICE"] }),
    path: "capabilities.0",
    message: /without "CAP_"/,
  },
  {
    what: "lowercase capability",
    args: base({ capabilities: ["net_bind_service"] }),
    path: "capabilities.0",
    message: /unknown capability/,
  },
  {
    what: "ALL capability",
    args: base({ capabilities: ["ALL"] }),
    path: "capabilities.0",
    message: /unknown capability "ALL"/,
  },
  {
    what: "SYS_ADMIN not allowed",
    args: base({ capabilities: [Capability.SysAdmin] }),
    path: "capabilities.0",
    message: /not on the allow-list.*overrides\.extraCapabilities/,
  },
  {
    what: "CHOWN not allowed",
    args: base({ capabilities: [Capability.Chown] }),
    path: "capabilities.0",
    message: /not on the allow-list/,
  },
  {
    what: "NET_RAW not allowed",
    args: base({ capabilities: [Capability.NetRaw] }),
    path: "capabilities.0",
    message: /not on the allow-list/,
  },
  {
    what: "second capability bad",
    args: base({ capabilities: [Capability.NetBindService, Capability.Kill] }),
    path: "capabilities.1",
    message: /not on the allow-list/,
  },
  {
    what: "capabilities not array",
    args: base({ capabilities: "NET_BIND_SERVICE" }),
    path: "capabilities",
    message: /expected array/,
  },
  ...[
    Capability.SysAdmin,
    Capability.SysModule,
    Capability.SysPtrace,
    Capability.Bpf,
    Capability.NetAdmin,
    Capability.DacReadSearch,
  ].map(
    (c): Case => ({
      what: `override cannot grant ${c}`,
      args: base({
        overrides: { extraCapabilities: { capabilities: [c], reason: "the vendor says so, really" } },
      }),
      path: "overrides.extraCapabilities.capabilities.0",
      message: /never granted/,
    }),
  ),
  {
    what: "override without reason",
    args: base({ overrides: { extraCapabilities: { capabilities: [Capability.Chown] } } }),
    path: "overrides.extraCapabilities.reason",
    message: /reason/,
  },
  {
    what: "override short reason",
    args: base({ overrides: { extraCapabilities: { capabilities: [Capability.Chown], reason: "needed" } } }),
    path: "overrides.extraCapabilities.reason",
    message: /at least 10 characters/,
  },
  {
    what: "override empty capabilities",
    args: base({ overrides: { extraCapabilities: { capabilities: [], reason: "a good long reason" } } }),
    path: "overrides.extraCapabilities.capabilities",
    message: /at least one capability/,
  },
  {
    what: "extra capability on restricted namespace",
    args: onKube({
      overrides: {
        extraCapabilities: { capabilities: [Capability.Chown], reason: "entrypoint fixes ownership" },
      },
    }),
    path: "overrides.extraCapabilities.capabilities.0",
    message: /Pod Security "restricted"/,
  },
  {
    what: "writable root without reason",
    args: base({ overrides: { writableRootFilesystem: {} } }),
    path: "overrides.writableRootFilesystem.reason",
    message: /reason/,
  },
  {
    what: "writable root blank reason",
    args: base({ overrides: { writableRootFilesystem: { reason: "          " } } }),
    path: "overrides.writableRootFilesystem.reason",
    message: /at least 10/,
  },
  {
    what: "publicBind reason number",
    args: base({ overrides: { publicBind: { reason: 12345678901 } } }),
    path: "overrides.publicBind.reason",
    message: /reason string/,
  },
  {
    what: "override not object",
    args: base({ overrides: { skipNetworkPolicy: true } }),
    path: "overrides.skipNetworkPolicy",
    message: /expected object/,
  },
  // ports
  ...[0, -1, 65536, 70000, 1.5, Number.NaN].map(
    (p): Case => ({
      what: `containerPort ${p}`,
      args: base({ ports: [{ containerPort: p }] }),
      path: "ports.0.containerPort",
      message: /between 1 and 65535/,
    }),
  ),
  ...[0, 65536, 2.5].map(
    (p): Case => ({
      what: `hostPort ${p}`,
      args: base({ ports: [{ containerPort: 80, hostPort: p }] }),
      path: "ports.0.hostPort",
      message: /between 1 and 65535/,
    }),
  ),
  {
    what: "containerPort string",
    args: base({ ports: [{ containerPort: "80" }] }),
    path: "ports.0.containerPort",
    message: /must be a whole number between 1 and 65535/,
  },
  {
    what: "port missing",
    args: base({ ports: [{}] }),
    path: "ports.0.containerPort",
    message: /must be a whole number between 1 and 65535/,
  },
  {
    what: "protocol sctp",
    args: base({ ports: [{ containerPort: 80, protocol: "SCTP" }] }),
    path: "ports.0.protocol",
    message: /Protocol\.Tcp/,
  },
  {
    what: "protocol lowercase",
    args: base({ ports: [{ containerPort: 80, protocol: "tcp" }] }),
    path: "ports.0.protocol",
    message: /Protocol\.Tcp/,
  },
  {
    what: "duplicate host ports",
    args: base({
      ports: [
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 81, hostPort: 8080 },
      ],
    }),
    path: "ports.1.hostPort",
    message: /already used by ports\.0/,
  },
  {
    what: "port name uppercase",
    args: base({ ports: [{ containerPort: 80, name: "HTTP" }] }),
    path: "ports.0.name",
    message: /lowercase/,
  },
  {
    what: "port name too long",
    args: base({ ports: [{ containerPort: 80, name: "a-very-long-port-name" }] }),
    path: "ports.0.name",
    message: /at most 15/,
  },
  {
    what: "duplicate port names",
    args: base({
      ports: [
        { containerPort: 80, name: "web" },
        { containerPort: 81, name: "web" },
      ],
    }),
    path: "ports",
    message: /unique/,
  },
  { what: "ports not array", args: base({ ports: 8080 }), path: "ports", message: /expected array/ },
  // memory / cpu / pids
  ...["256", "256m", "256MB", "1gb", "Mi", "256 Mi", "-1Mi", "1Mi", "0Gi"].map(
    (m): Case => ({
      what: `memory ${m}`,
      args: base({ resources: { memory: m } }),
      path: "resources.memory",
      message: /unit|at least 4Mi/,
    }),
  ),
  {
    what: "memory number",
    args: base({ resources: { memory: 256 } }),
    path: "resources.memory",
    message: /must be a string such as "256Mi"/,
  },
  {
    what: "memoryRequest without unit",
    args: base({ resources: { memoryRequest: "128" } }),
    path: "resources.memoryRequest",
    message: /unit/,
  },
  {
    what: "memoryRequest above limit",
    args: base({ resources: { memory: "128Mi", memoryRequest: "1Gi" } }),
    path: "resources.memoryRequest",
    message: /cannot exceed the memory limit 128Mi/,
  },
  ...["1000 m", "abc", "0", "0m", "5m", "1000", "-1", "1.5.2"].map(
    (c): Case => ({
      what: `cpu ${c}`,
      args: base({ resources: { cpu: c } }),
      path: "resources.cpu",
      message: /cores|millicores/,
    }),
  ),
  {
    what: "cpu number",
    args: base({ resources: { cpu: 1 } }),
    path: "resources.cpu",
    message: /must be a string/,
  },
  {
    what: "cpuRequest above limit",
    args: base({ resources: { cpu: "500m", cpuRequest: "2" } }),
    path: "resources.cpuRequest",
    message: /cannot exceed the cpu limit 500m/,
  },
  {
    what: "pids too low",
    args: base({ resources: { pids: 1 } }),
    path: "resources.pids",
    message: /resources\.pids must be a whole number from 8 to 65536/,
  },
  {
    what: "pids too high",
    args: base({ resources: { pids: 1_000_000 } }),
    path: "resources.pids",
    message: /resources\.pids must be a whole number from 8 to 65536/,
  },
  {
    what: "pids fractional",
    args: base({ resources: { pids: 10.5 } }),
    path: "resources.pids",
    message: /resources\.pids must be a whole number from 8 to 65536/,
  },
  {
    what: "writablePathSize no unit",
    args: base({ writablePathSize: "64" }),
    path: "writablePathSize",
    message: /unit/,
  },
  // writable paths and volumes
  {
    what: "writable path root",
    args: base({ writablePaths: ["/"] }),
    path: "writablePaths.0",
    message: /filesystem root/,
  },
  {
    what: "writable path //",
    args: base({ writablePaths: ["//"] }),
    path: "writablePaths.0",
    message: /filesystem root/,
  },
  {
    what: "writable path relative",
    args: base({ writablePaths: ["tmp"] }),
    path: "writablePaths.0",
    message: /absolute/,
  },
  {
    what: "writable path dot-dot",
    args: base({ writablePaths: ["/tmp/../etc"] }),
    path: "writablePaths.0",
    message: /"\.\."/,
  },
  {
    what: "writable path dot",
    args: base({ writablePaths: ["/./tmp"] }),
    path: "writablePaths.0",
    message: /"\."/,
  },
  {
    what: "writable path proc",
    args: base({ writablePaths: ["/proc/sys"] }),
    path: "writablePaths.0",
    message: /\/proc, \/sys or \/dev/,
  },
  {
    what: "writable path sys",
    args: base({ writablePaths: ["/sys"] }),
    path: "writablePaths.0",
    message: /\/proc, \/sys or \/dev/,
  },
  {
    what: "writable path dev",
    args: base({ writablePaths: ["/dev/shm"] }),
    path: "writablePaths.0",
    message: /\/proc, \/sys or \/dev/,
  },
  {
    what: "writable path comma",
    args: base({ writablePaths: ["/tmp,exec"] }),
    path: "writablePaths.0",
    message: /commas/,
  },
  {
    what: "writable path colon",
    args: base({ writablePaths: ["/tmp:rw"] }),
    path: "writablePaths.0",
    message: /colons/,
  },
  {
    what: "writable path empty",
    args: base({ writablePaths: [""] }),
    path: "writablePaths.0",
    message: /absolute/,
  },
  {
    what: "writable path number",
    args: base({ writablePaths: [7] }),
    path: "writablePaths.0",
    message: /writable path must be a string/,
  },
  {
    what: "writable path twice",
    args: base({ writablePaths: ["/tmp", "/tmp"] }),
    path: "writablePaths",
    message: /twice/,
  },
  {
    what: "volume relative",
    args: base({ volumes: [{ name: "data", mountPath: "data" }] }),
    path: "volumes.0.mountPath",
    message: /absolute/,
  },
  {
    what: "volume at root",
    args: base({ volumes: [{ name: "data", mountPath: "/" }] }),
    path: "volumes.0.mountPath",
    message: /filesystem root/,
  },
  {
    what: "volume bad name",
    args: base({ volumes: [{ name: "Data_1", mountPath: "/data" }] }),
    path: "volumes.0.name",
    message: /DNS label/,
  },
  {
    what: "volume is writable path",
    args: base({ writablePaths: ["/data"], volumes: [{ name: "data", mountPath: "/data" }] }),
    path: "volumes.0.mountPath",
    message: /either a tmpfs or a volume/,
  },
  {
    what: "volume names twice",
    args: base({
      volumes: [
        { name: "d", mountPath: "/a" },
        { name: "d", mountPath: "/b" },
      ],
    }),
    path: "volumes",
    message: /unique/,
  },
  // image
  ...[
    "",
    "Shop/Web:1",
    "web:",
    "web@sha256:123",
    "web:tag with space",
    "registry.example.com//web",
    "-web",
    "web@md5:abc",
    "web:-bad",
    "UPPER",
  ].map(
    (image): Case => ({
      what: `image ${JSON.stringify(image)}`,
      args: base({ image }),
      path: "image",
      message: /does not parse; write \[registry\/\]repository/,
    }),
  ),
  { what: "image number", args: base({ image: 42 }), path: "image", message: /must be a string/ },
  {
    what: "image tag on kubernetes",
    args: onKube({ image: "registry.example.com/shop/web:1.2" }),
    path: "image",
    message: /pin images by digest.*mutableImageTag/,
  },
  {
    what: "image without tag on kubernetes",
    args: onKube({ image: "nginx" }),
    path: "image",
    message: /pin images by digest/,
  },
  // env
  {
    what: "env secret-looking",
    args: base({ env: { DB_PASSWORD: "x" } }),
    path: "env.DB_PASSWORD",
    message: /looks like a secret.*as files mounted read-only, never as environment variables/,
  },
  {
    what: "env token",
    args: base({ env: { GITHUB_TOKEN: "x" } }),
    path: "env.GITHUB_TOKEN",
    message: /looks like a secret.*as files mounted read-only, never as environment variables/,
  },
  {
    what: "env api key",
    args: base({ env: { STRIPE_API_KEY: "x" } }),
    path: "env.STRIPE_API_KEY",
    message: /looks like a secret.*as files mounted read-only, never as environment variables/,
  },
  {
    what: "env bad name",
    args: base({ env: { "1ST": "x" } }),
    path: "env.1ST",
    message: /names are letters/,
  },
  {
    what: "env dash name",
    args: base({ env: { "MY-VAR": "x" } }),
    path: "env.MY-VAR",
    message: /names are letters/,
  },
  {
    what: "env number value",
    args: base({ env: { PORT: 8080 } }),
    path: "env.PORT",
    message: /must be strings/,
  },
  // health check
  {
    what: "health check missing",
    args: base({ healthCheck: undefined }),
    path: "healthCheck",
    message: /healthCheck is required/,
  },
  {
    what: "health check empty",
    args: base({ healthCheck: {} }),
    path: "healthCheck",
    message: /command .* or an httpGetPath/,
  },
  {
    what: "health check empty command",
    args: base({ healthCheck: { command: [] } }),
    path: "healthCheck.command",
    message: /at least the program/,
  },
  {
    what: "health http on docker",
    args: base({ healthCheck: { httpGetPath: "/healthz" } }),
    path: "healthCheck.command",
    message: /Docker runs health checks as a command/,
  },
  {
    what: "health path relative",
    args: onKube({ healthCheck: { httpGetPath: "healthz" } }),
    path: "healthCheck.httpGetPath",
    message: /start with "\/"/,
  },
  {
    what: "health http without port",
    args: onKube({ ports: [], healthCheck: { httpGetPath: "/healthz" } }),
    path: "healthCheck.port",
    message: /needs a port/,
  },
  {
    what: "health interval zero",
    args: base({ healthCheck: { command: ["x"], intervalSeconds: 0 } }),
    path: "healthCheck.intervalSeconds",
    message: /whole number from 1 to/,
  },
  {
    what: "health retries zero",
    args: base({ healthCheck: { command: ["x"], retries: 0 } }),
    path: "healthCheck.retries",
    message: /whole number from 1 to/,
  },
  // replicas, PDB, restarts
  {
    what: "replicas zero",
    args: onKube({ replicas: 0 }),
    path: "replicas",
    message: /replicas must be a whole number from 1 to 100/,
  },
  { what: "replicas fractional", args: onKube({ replicas: 1.5 }), path: "replicas", message: /whole number/ },
  {
    what: "replicas huge",
    args: onKube({ replicas: 1000 }),
    path: "replicas",
    message: /replicas must be a whole number from 1 to 100/,
  },
  {
    what: "docker replicas with ports",
    args: base({ replicas: 2 }),
    path: "replicas",
    message: /collide on the host ports/,
  },
  {
    what: "PDB blocks eviction",
    args: onKube({ replicas: 2, podDisruptionBudgetMinAvailable: 2 }),
    path: "podDisruptionBudgetMinAvailable",
    message: /below replicas \(2\)/,
  },
  {
    what: "PDB zero",
    args: onKube({ podDisruptionBudgetMinAvailable: 0 }),
    path: "podDisruptionBudgetMinAvailable",
    message: /podDisruptionBudgetMinAvailable must be a whole number from 1 to 100/,
  },
  {
    what: "restart retries 0",
    args: base({ restartMaxRetries: 0 }),
    path: "restartMaxRetries",
    message: /restartMaxRetries must be a whole number from 1 to 5 \(CIS Docker 5\.15\)/,
  },
  {
    what: "restart retries 10",
    args: base({ restartMaxRetries: 10 }),
    path: "restartMaxRetries",
    message: /CIS Docker 5\.15/,
  },
  // runtime profile
  {
    what: "appType unknown",
    args: base({ runtimeProfile: { appType: "cache" } }),
    path: "runtimeProfile.appType",
    message: /web, worker, database/,
  },
  {
    what: "template unconfined",
    args: base({ runtimeProfile: { template: "unconfined" } }),
    path: "runtimeProfile.template",
    message: /strict, default, permissive/,
  },
  // labels
  {
    what: "label reserved prefix",
    args: base({ labels: { "shipshape.io/suppress.x": "y" } }),
    path: "labels.shipshape.io/suppress.x",
    message: /reserved/,
  },
  {
    what: "label key with space",
    args: base({ labels: { "my label": "x" } }),
    path: "labels.my label",
    message: /not a valid label key/,
  },
  {
    what: "label value with space",
    args: base({ labels: { team: "shop team" } }),
    path: "labels.team",
    message: /label value/,
  },
  {
    what: "label value too long",
    args: base({ labels: { team: "a".repeat(64) } }),
    path: "labels.team",
    message: /at most 63/,
  },
  {
    what: "label value number",
    args: base({ labels: { team: 1 } }),
    path: "labels.team",
    message: /values must be strings/,
  },
  // connections
  {
    what: "ingress without podLabels",
    args: onKube({ ingressFrom: [{}] }),
    path: "ingressFrom.0.podLabels",
    message: /expected record/,
  },
  {
    what: "egress bad port",
    args: onKube({ egressTo: [{ podLabels: { app: "db" }, ports: [0] }] }),
    path: "egressTo.0.ports.0",
    message: /between 1 and 65535/,
  },
  // platform, name, outputs
  {
    what: "no target",
    args: base({ docker: undefined }),
    path: "docker",
    message: /needs a target: docker: \{\}.*kubernetes: \{ namespace/,
  },
  {
    what: "both targets",
    args: base({ kubernetes: kube }),
    path: "kubernetes",
    message: /exactly one of docker and kubernetes/,
  },
  {
    what: "a platform object of the previous version",
    args: base({ docker: undefined, platform: { kind: "docker" } }),
    path: "platform",
    message: /replaced by plain args: write docker: \{\}/,
  },
  {
    what: "docker target not an object",
    args: base({ docker: "local" }),
    path: "docker",
    message: /docker must be an object/,
  },
  {
    what: "docker target with a provider in it",
    args: base({ docker: { host: "unix:///var/run/docker.sock" } }),
    path: "docker",
    message: /unknown field\(s\) host; check the spelling against DockerTargetArgs/,
  },
  {
    what: "docker bind address not an address",
    args: base({ docker: { bindAddress: "localhost" } }),
    path: "docker.bindAddress",
    message: /IP address/,
  },
  {
    what: "kubernetes namespace not a DNS label",
    args: onKube({ kubernetes: { namespace: "Shop_1" } }),
    path: "kubernetes.namespace",
    message: /DNS label/,
  },
  {
    what: "kubernetes pod security level unknown",
    args: onKube({ kubernetes: { podSecurityLevel: "privileged" } }),
    path: "kubernetes.podSecurityLevel",
    message: /restricted, baseline/,
  },
  {
    what: "public bind address without override",
    args: base({ docker: { bindAddress: "0.0.0.0" } }),
    path: "docker.bindAddress",
    message: /overrides\.publicBind/,
  },
  {
    what: "empty podLabels in ingressFrom opens the policy to every pod",
    args: onKube({ ingressFrom: [{ podLabels: {} }] }),
    path: "ingressFrom.0.podLabels",
    message: /selects every pod/,
  },
  {
    what: "empty namespaceLabels in egressTo opens the policy to every namespace",
    args: onKube({ egressTo: [{ podLabels: { app: "db" }, namespaceLabels: {} }] }),
    path: "egressTo.0.namespaceLabels",
    message: /selects every namespace/,
  },
  {
    what: "override reason of zero-width spaces",
    args: base({ overrides: { writableRootFilesystem: { reason: "\u200b".repeat(20) } } }),
    path: "overrides.writableRootFilesystem.reason",
    message: /at least 10 characters, not counting surrounding spaces and invisible ones/,
  },
  {
    what: "absurd memory",
    args: base({ resources: { memory: "1000000000000000000000000000000Gi" } }),
    path: "resources.memory",
    message: /from 4Mi to 1Ti/,
  },
  {
    what: "one writable path written twice",
    args: base({ writablePaths: ["/tmp", "/tmp/"] }),
    path: "writablePaths",
    message: /twice/,
  },
  {
    what: "NUL in args",
    args: base({ args: ["--listen", "a\0b"] }),
    path: "args.1",
    message: /NUL/,
  },
  {
    what: "NUL in a writable path",
    args: base({ writablePaths: ["/tmp\0x"] }),
    path: "writablePaths.0",
    message: /NUL/,
  },
  {
    what: "empty health-check program",
    args: base({ healthCheck: { command: [""] } }),
    path: "healthCheck.command",
    message: /starts with the program to run/,
  },
  {
    what: "extra capability on baseline is fine but SYS_ADMIN is not",
    args: onKube({
      kubernetes: baseline,
      overrides: {
        extraCapabilities: { capabilities: [Capability.SysAdmin], reason: "the vendor says so, really" },
      },
    }),
    path: "overrides.extraCapabilities.capabilities.0",
    message: /never granted/,
  },
  { what: "bad name", name: "Web_Service", args: base(), path: "name", message: /lowercase letters/ },
  { what: "long name", name: "a".repeat(51), args: base(), path: "name", message: /at most 50/ },
  {
    what: "ports as Output",
    args: base({ ports: pulumi.output([{ containerPort: 80 }]) }),
    path: "ports",
    message: /plain value/,
  },
  {
    what: "user as Output",
    args: base({ user: pulumi.output("1000") }),
    path: "user",
    message: /plain value/,
  },
  { what: "args not object", args: "web", path: "", message: /args must be an object/ },
  {
    what: "command not strings",
    args: base({ command: ["/app", 1] }),
    path: "command.1",
    message: /command items must be a string/,
  },
];

describe("SecureService rejects malformed args before registering anything", () => {
  it("has at least 100 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)("$what", async (c) => {
    let error: unknown;
    const registered = await runUnderMocks(() => {
      try {
        new SecureService(c.name ?? "web", c.args as SecureServiceArgs);
      } catch (e) {
        error = e;
      }
    });
    expect(registered).toEqual([]);
    expect(error).toBeInstanceOf(SecureServiceArgsError);
    const issues = (error as SecureServiceArgsError).issues;
    const issue = issues.find((i) => i.path === c.path);
    expect(
      issue,
      `no issue at "${c.path}"; got ${JSON.stringify(issues.map((i) => [i.path, i.message]))}`,
    ).toBeDefined();
    expect(issue?.message).toMatch(c.message);
    // The message names the path and shows the value found there.
    const text = (error as Error).message;
    expect(text).toContain(`${c.path || "(args)"}: `);
    expect(text).toMatch(/\(got .+\)/);
  });
});

describe("SecureService keeps secrets and half-made deployments out", () => {
  it("never shows an environment value in its messages", () => {
    let error: unknown;
    try {
      new SecureService("web", base({ env: { API_TOKEN: "hunter2-supersecret", "1BAD": "also-secret-0" } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecureServiceArgsError);
    const text = (error as Error).message;
    expect(text).toMatch(/env\.API_TOKEN: looks like a secret/);
    expect(text).toMatch(/env\.1BAD: environment variable names/);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("also-secret");
    expect(text).toContain("not shown: it may be a secret");
  });

  it("an image Output that resolves to a bad reference fails before any child resource is registered", async () => {
    // The children's registrations fail with the same error; the engine reports them as one
    // failed deployment, here they surface as rejections nobody awaits.
    const ignore = () => undefined;
    process.on("unhandledRejection", ignore);
    onTestFinished(() => {
      process.off("unhandledRejection", ignore);
    });
    for (const target of [{ docker: {} }, { docker: undefined, kubernetes: kube }]) {
      let failure: unknown;
      const registered = await runUnderMocks(async () => {
        const service = new SecureService(
          "web",
          base({ ...target, image: pulumi.output("Not A Valid Image!") }),
        );
        try {
          await (service.image as unknown as { promise(): Promise<string> }).promise();
        } catch (e) {
          failure = e;
        }
      });
      expect(failure).toBeInstanceOf(SecureServiceArgsError);
      expect((failure as Error).message).toMatch(/image: image reference does not parse/);
      // What is left behind: the component itself, a logical resource with nothing in any engine.
      // Every child waits for the checked image, so no network, container or object is registered.
      expect(registered.map((r) => r.type)).toEqual(["shipshape:index:SecureService"]);
    }
  });
});
