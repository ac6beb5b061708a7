/**
 * V8's compile cache for the CLI's modules (Node's `module.enableCompileCache`, in the directory
 * NODE_COMPILE_CACHE names, else the system's temporary directory): a run after the first skips
 * compiling the audit engine, most of a small audit's CPU time. Imported first by main.ts.
 */
import { enableCompileCache } from "node:module";

try {
  enableCompileCache();
} catch {
  // A cache that cannot be written only costs the compile.
}
