export * from "./component";
export { daemonAuditProvider } from "./provider";
export * from "./types";
