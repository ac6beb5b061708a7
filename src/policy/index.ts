export { defaultEnforcement, ENFORCEMENT_LEVELS, type EnforcementLevel } from "./enforcement";
export {
  evaluatePolicies,
  type HarnessConfig,
  type HarnessResource,
  type HarnessResult,
  type HarnessViolation,
} from "./harness";
export { IMAGE_VERIFICATION_POLICY } from "./image-verification-policy";
export { ALLOWED_SERVICES_LABEL, NETWORK_SEGMENTATION_POLICY } from "./network-segmentation-policy";
export {
  DEFAULT_IMAGE_EVIDENCE_TYPES,
  type Exemption,
  type PolicyPackOptions,
  type PolicyPackOptionsInput,
  parsePolicyPackOptions,
  policyPackOptionsSchema,
} from "./options";
export { shipshapePolicies } from "./policies";
export { IMAGE_REGISTRY_POLICY } from "./registry-policy";
export { SECRET_ENV_POLICY } from "./secret-env-policy";
