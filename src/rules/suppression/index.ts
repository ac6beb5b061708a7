import type { Rule } from "../rule";
import { suppressionReasonRequired } from "./suppression-reason-required";
import { suppressionUnused } from "./suppression-unused";

export const suppressionRules: readonly Rule[] = [suppressionReasonRequired, suppressionUnused];
