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
  /** What its files are, for the peers that read only some formats. */
  family: "kubernetes" | "compose" | "dockerfile";
  /** How many files to generate. */
  count: number;
  /**
   * The files/s target by CPU on one core (the 2,000 for ordinary files); `undefined`
   * for a corpus of a few very large files, where only the comparisons (floor, peers) count.
   */
  filesPerSecondTarget: number | undefined;
  /** Bumped whenever `generate` changes, so stale corpora are rebuilt. */
  revision: number;
  /** The `index`-th file; deterministic for a given index. */
  generate(index: number): CorpusFile;
}
