export * from "./args";
export * from "./component";
export { ObservabilityStackArgsError } from "./spec";
