/**
 * Why: approving a CertificateSigningRequest for the `kubernetes.io/kube-apiserver-client`
 * signer mints a client certificate for any user or group, `system:masters` included. It takes
 * `update` on `certificatesigningrequests/approval` plus `approve` on `signers`; a role holding
 * both is reported.
 */
import { defineRule, PlatformScope } from "../rule";
import { grants, roleLabel } from "./rbac";

const CERT_GROUP = "certificates.k8s.io";

export const rbacApproveCsr = defineRule({
  id: "rbac-approve-csr",
  title: "Roles do not approve certificate signing requests",
  severity: "high",
  rationale:
    "A subject that can approve CSRs can issue itself a client certificate for any identity, including cluster administrators, which never expires with a token revocation.",
  remediation: "Remove the approval permissions; leave CSR approval to the control plane's approvers.",
  references: {
    checkov: ["CKV_K8S_156"],
  },
  targets: ["role"],
  platforms: PlatformScope.Kubernetes,
  check(role) {
    const approvalIndex = role.rules.findIndex((r) =>
      grants(r, {
        apiGroups: [CERT_GROUP],
        resources: ["certificatesigningrequests/approval"],
        verbs: ["update", "patch"],
      }),
    );
    const canApprove = role.rules.some((r) =>
      grants(r, { apiGroups: [CERT_GROUP], resources: ["signers"], verbs: ["approve"] }),
    );
    if (approvalIndex < 0 || !canApprove) return [];
    return [
      {
        path: `rules.${approvalIndex}`,
        message: `${roleLabel(role)} can update certificatesigningrequests/approval and approve signers, so its subjects can mint certificates for any identity; remove these permissions`,
      },
    ];
  },
});
