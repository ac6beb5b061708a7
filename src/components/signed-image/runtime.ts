import { join } from "node:path";
import { packageModulePath } from "../../program/module-path";

/**
 * The registry and signing libraries, by absolute path: the providers run in another process
 * after closure serialization, so they capture these strings and require the modules there.
 */
export const REGISTRY_MODULE = packageModulePath(join(__dirname, "..", "..", "registry"), "index");
export const SIGNING_MODULE = packageModulePath(join(__dirname, "..", "..", "signing"), "index");
/** In development the modules are TypeScript: tsx's require hook, also by absolute path. */
export const TS_HOOK = REGISTRY_MODULE.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";
/** Pulumi's marker for a value not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
