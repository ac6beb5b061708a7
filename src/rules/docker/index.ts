import type { OutOfScope } from "../out-of-scope";
import type { Rule } from "../rule";

/** Docker checks: CIS Docker Benchmark 1.6 sections 2, 4 and 5, checkov, KICS, hadolint. */
export const dockerRules: readonly Rule[] = [];

export const dockerOutOfScope: readonly OutOfScope[] = [];
