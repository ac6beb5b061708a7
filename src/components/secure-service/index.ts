export * from "./args";
export * from "./component";
export * from "./docker";
export * from "./kubernetes";
export * from "./spec";
