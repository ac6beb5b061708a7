export * from "./component";
