import { z } from "zod";
import { AuditSeverity } from "../daemon-audit/types";
import { dnsLabel, enumValue, text } from "../validation/fields";
import { type ArgsIssue, containsUnknown } from "../validation/issues";
import { argsIssuesFromZod } from "../validation/zod-issues";
import type { KubernetesAuditArgs } from "./check";

const schema = z.strictObject(
  {
    kubeconfig: text("kubeconfig")
      .min(1, { error: 'kubeconfig must be the path of a kubeconfig file, e.g. "/home/me/.kube/config"' })
      .optional(),
    context: text("context")
      .min(1, { error: 'context must name a context of the kubeconfig, e.g. "kind-dev"' })
      .optional(),
    namespace: dnsLabel("namespace", "shop").optional(),
    failOn: enumValue(AuditSeverity, "failOn").optional(),
  },
  { error: 'KubernetesAudit args must be an object, e.g. { namespace: "shop" }' },
);

/**
 * What is wrong with the args' known values (Outputs are checked by the provider once known), each
 * issue naming the field, the value and the fix.
 */
export function validateKubernetesAuditArgs(args: KubernetesAuditArgs): ArgsIssue[] {
  if (args === null || typeof args !== "object")
    return [
      {
        path: "",
        value: args,
        message: 'KubernetesAudit args must be an object, e.g. { namespace: "shop" }',
      },
    ];
  const known = Object.fromEntries(
    Object.entries(args).filter(([, v]) => v !== undefined && !containsUnknown(v)),
  );
  const parsed = schema.safeParse(known);
  return parsed.success ? [] : argsIssuesFromZod(parsed.error, known, "KubernetesAuditArgs");
}
