export * from "./cosign-format";
export * from "./errors";
export * from "./keys";
export * from "./locations";
export * from "./sign";
export * from "./verify";
