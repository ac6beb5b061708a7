/**
 * The real scanner for the scan tests: the trivy binary and offline database scripts/setup.sh
 * builds, and the test images with published advisories (scripts/images/scan-test-images.sh).
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { defaultTrivyCacheDir, defaultTrivyPath } from "../../src/scan/locations";

const run = promisify(execFile);
export const REPO = resolve(__dirname, "../..");
export const TRIVY = defaultTrivyPath();
export const TRIVY_CACHE = defaultTrivyCacheDir();
export const VULNERABLE_IMAGE = "shipshape-test/scan-vulnerable:1";
export const FIXED_IMAGE = "shipshape-test/scan-fixed:1";

/** Fails, naming the fix, unless trivy and its database are there; then builds the test images. */
export async function requireScanner(): Promise<void> {
  for (const path of [TRIVY, join(TRIVY_CACHE, "db", "trivy.db")]) {
    if (!existsSync(path))
      throw new Error(`${path} is missing: run scripts/setup.sh (it builds trivy and the offline DB)`);
  }
  await run("bash", [join(REPO, "scripts", "images", "scan-test-images.sh")], { timeout: 180_000 });
}

/**
 * A scanner wrapper that counts its scans (one line per `trivy image` in `counter`) before it
 * runs the real trivy, so a test can prove a cached scan ran no scanner.
 */
export function countingTrivy(dir: string): { path: string; counter: string } {
  const path = join(dir, "trivy-counting");
  const counter = join(dir, "scans.count");
  writeFileSync(counter, "");
  writeFileSync(
    path,
    `#!/bin/sh\nif [ "$1" = image ]; then echo scan >> '${counter}'; fi\nexec '${TRIVY}' "$@"\n`,
  );
  chmodSync(path, 0o755);
  return { path, counter };
}

/** A fake scanner for fault tests: `body` is the shell it runs for `trivy image`. */
export function brokenTrivy(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = image ]; then\n${body}\nfi\nexec '${TRIVY}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}
