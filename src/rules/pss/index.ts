import type { Rule } from "../rule";

/** Pod Security Standards checks, baseline then restricted. */
export const pssRules: readonly Rule[] = [];
