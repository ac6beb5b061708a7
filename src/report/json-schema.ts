import { z } from "zod";
import { SEVERITIES } from "../rules/rule";
import { JSON_FORMAT_VERSION } from "./json";

const severity = z.enum(SEVERITIES);
const ids = z.array(z.string()).optional();
const references = z
  .object({ pss: ids, cis: ids, kubeLinter: ids, checkov: ids, polaris: ids, kics: ids, hadolint: ids })
  .strict();
const count = z.number().int().nonnegative();

/** The JSON output, as documented in docs/json-format.md. */
export const jsonReportSchema = z
  .object({
    version: z.literal(JSON_FORMAT_VERSION),
    findings: z.array(
      z
        .object({
          ruleId: z.string().min(1),
          severity,
          message: z.string().min(1),
          file: z.string().min(1),
          line: z.number().int().positive(),
          column: z.number().int().positive(),
          object: z.string(),
          references,
          fixable: z.boolean(),
        })
        .strict(),
    ),
    errors: z.array(
      z
        .object({
          file: z.string().min(1),
          message: z.string().min(1),
          line: z.number().int().positive(),
          column: z.number().int().positive(),
        })
        .strict(),
    ),
    summary: z
      .object({
        filesAudited: count,
        filesSkipped: count,
        filesWithFindings: count,
        filesWithErrors: count,
        findings: count,
        errors: count,
        bySeverity: z
          .object({ info: count, low: count, medium: count, high: count, critical: count })
          .strict(),
        profile: z.string(),
        minSeverity: severity,
        fixesApplied: count.optional(),
        notAudited: z
          .object({ objects: count, kinds: z.record(z.string(), count) })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();

export type JsonReport = z.infer<typeof jsonReportSchema>;
