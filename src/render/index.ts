export * from "./collector";
export * from "./compose";
export * from "./kubernetes";
export * from "./mock-run";
export * from "./render";
