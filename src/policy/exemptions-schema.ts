import type { PolicyConfigSchema } from "@pulumi/policy";

/** Per-policy configuration every shipshape policy accepts (besides `enforcementLevel`). */
export const EXEMPTIONS_SCHEMA: PolicyConfigSchema = {
  properties: {
    exemptions: {
      type: "array",
      description: "Resources this policy does not apply to: { resource: name|URN glob, reason }.",
      items: {
        type: "object",
        properties: { resource: { type: "string" }, reason: { type: "string", minLength: 10 } },
        required: ["resource", "reason"],
      },
      default: [],
    },
  },
};
