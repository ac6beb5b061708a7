export * from "./args";
export * from "./component";
export { SecureServiceArgsError } from "./spec";
