export * from "./args";
export * from "./component";
