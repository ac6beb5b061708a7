export * from "./discover";
export * from "./measure";
