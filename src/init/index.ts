export * from "./init-project";
export * from "./templates";
