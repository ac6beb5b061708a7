import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// vitest runs from the repository root (the config's directory).
const source = (path: string) => resolve(process.cwd(), path);

export default defineConfig({
  // The examples import the package by name, as a user's program does; in this repository the
  // name is the source (tsconfig.json's `paths` says the same for tsc and tsx).
  resolve: {
    alias: [
      { find: /^shipshape$/, replacement: source("./src/index.ts") },
      { find: /^shipshape\/(audit|policy|model)$/, replacement: source("./src/$1/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: "forks",
    reporters: process.env.CI ? ["default", "junit"] : ["default"],
    outputFile: { junit: ".test-results/junit.xml" },
  },
});
