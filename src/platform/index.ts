export * from "./docker-platform";
export * from "./kubernetes-platform";
export * from "./platform";
