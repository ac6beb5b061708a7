import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { bundlesCorpus } from "./bundles";
import { composeCorpus } from "./compose";
import { dockerfileCorpus } from "./dockerfile";
import type { CorpusFormat } from "./format";
import { kubernetesCorpus } from "./kubernetes";

/** Every format of the corpus; each gets its own directory and its own files/s line. */
export const CORPUS_FORMATS: readonly CorpusFormat[] = [
  kubernetesCorpus,
  composeCorpus,
  dockerfileCorpus,
  bundlesCorpus,
];

/**
 * Writes the corpus of `format` under `root/<name>` unless a stamp says it is already there
 * with the same count and revision. Returns the directory.
 */
export function ensureCorpus(root: string, format: CorpusFormat): string {
  const dir = join(root, format.name);
  const stampFile = join(dir, ".stamp");
  const stamp = JSON.stringify({ count: format.count, revision: format.revision });
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return dir;
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < format.count; i++) {
    const file = format.generate(i);
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
  }
  writeFileSync(stampFile, stamp);
  return dir;
}
