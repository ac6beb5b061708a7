export * from "./client";
export * from "./engine-push";
export * from "./errors";
export * from "./reference";
export * from "./retention";
