export * from "./component";
export * from "./types";
