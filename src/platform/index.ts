export * from "./docker-target";
export * from "./kubernetes-target";
export * from "./platform";
