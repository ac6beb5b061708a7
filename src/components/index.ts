export * from "../platform";
export * from "./daemon-audit";
export * from "./encrypted-volume";
export * from "./hardened-daemon";
export * from "./image-scan";
export * from "./runtime-profile";
export * from "./secret-store";
export * from "./secure-service";
export { type ArgsIssue, ComponentArgsError } from "./validation/issues";
