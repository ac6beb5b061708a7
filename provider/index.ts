// What the schema analyzer reads (it infers the schema from TypeScript sources): the same exports as index.js.
export * from "../src";
