export * from "./apply";
export * from "./in-use";
export * from "./inventory";
export * from "./plan";
export * from "./policy";
