export * from "../platform";
export * from "./daemon-audit";
export * from "./encrypted-volume";
export * from "./hardened-daemon";
export * from "./runtime-profile";
export * from "./secure-service";
export { type ArgsIssue, ComponentArgsError } from "./validation/issues";
