// The public API: the components and their args. The audit engine, the policy pack and the model
// are subpath exports (`shipshape/audit`, `shipshape/policy`, `shipshape/model`). Re-exports only.

export * from "./components/connectivity-probe";
export * from "./components/daemon-audit";
export * from "./components/encrypted-volume";
export * from "./components/hardened-daemon";
export * from "./components/image-scan";
export * from "./components/kubernetes-audit";
export * from "./components/observability-stack";
export * from "./components/runtime-profile/component";
export { AppType, ProfileTemplate } from "./components/runtime-profile/syscalls";
export * from "./components/secret-store";
export * from "./components/secure-service";
export * from "./components/segmented-networks";
export * from "./components/signed-image";
export { type ArgsIssue, ComponentArgsError } from "./components/validation/issues";
export type { DaemonSettingsArgs } from "./daemon-config/options";
export * from "./platform/docker-target";
export * from "./platform/kubernetes-target";
export { PlatformKind } from "./platform/platform";
