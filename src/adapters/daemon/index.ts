export { findJsonSyntaxError, type JsonSyntaxError } from "./json-syntax";
export { applyJsonPatch, jsonIndent } from "./patch";
export { DAEMON_KEYS, type DaemonReadResult, daemonConfig, daemonSourcePath, readDaemonJson } from "./read";
