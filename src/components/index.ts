export * from "../platform";
export * from "./runtime-profile";
export * from "./secure-service";
