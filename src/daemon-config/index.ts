export * from "./generate";
export * from "./options";
