/** One generated file: its path inside the format's directory and its text. */
export interface CorpusFile {
  path: string;
  text: string;
}

/**
 * A format of the benchmark corpus. Adding a format (Compose, Dockerfile) is one more
 * generator in bench/corpus/index.ts.
 */
export interface CorpusFormat {
  /** Directory under bench/.corpus and the label printed with its numbers. */
  name: string;
  /** How many files to generate. */
  count: number;
  /** Bumped whenever `generate` changes, so stale corpora are rebuilt. */
  revision: number;
  /** The `index`-th file; deterministic for a given index. */
  generate(index: number): CorpusFile;
}
