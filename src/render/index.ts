export * from "./compose";
export * from "./kubernetes";
export * from "./render";
