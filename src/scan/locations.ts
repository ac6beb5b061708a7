import { homedir } from "node:os";
import { join } from "node:path";

/** The project's cache: SHIPSHAPE_CACHE, else $XDG_CACHE_HOME/shipshape, else ~/.cache/shipshape. */
export function shipshapeCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIPSHAPE_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "shipshape");
}

/** The trivy binary setup builds (scripts/security-tools/build.sh); SHIPSHAPE_TRIVY overrides it. */
export function defaultTrivyPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIPSHAPE_TRIVY ?? join(shipshapeCache(env), "tools", "bin", "trivy");
}

/**
 * The trivy cache directory holding `db/trivy.db` and `db/metadata.json`: the offline DB setup
 * builds from vulndb/osv, unless SHIPSHAPE_TRIVY_CACHE names another (a trivy cache with the
 * public DB, for instance).
 */
export function defaultTrivyCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIPSHAPE_TRIVY_CACHE ?? join(shipshapeCache(env), "tools", "trivy");
}

/** Where ImageScan and `shipshape scan --cache` keep reports, one pair (JSON, SARIF) per scan key. */
export function defaultReportDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(shipshapeCache(env), "scans");
}
