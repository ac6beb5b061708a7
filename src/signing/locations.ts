import { join } from "node:path";
import { shipshapeCache } from "../scan/locations";

/** The cosign binary setup builds (scripts/security-tools/build.sh); SHIPSHAPE_COSIGN overrides it. */
export function defaultCosignPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIPSHAPE_COSIGN ?? join(shipshapeCache(env), "tools", "bin", "cosign");
}
