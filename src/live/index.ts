export * from "./audit-engine";
export * from "./container-workload";
export * from "./daemon-model";
export * from "./dockerd-process";
export * from "./engine";
export * from "./live-rules";
export * from "./read-engine";
