export * from "./mock-run";
export * from "./run-program";
export * from "./worker-process";
