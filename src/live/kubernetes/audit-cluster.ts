/**
 * The live cluster audit: the objects `readCluster` read, each written out as a manifest and read
 * back by the same Kubernetes YAML adapter `shipshape audit` reads files with, then audited by
 * the same rules, all objects together (so cross-object rules see the RBAC and the policies).
 */
import { yamlLibrary } from "../../adapters/yaml-library";
import { audit, selectRules } from "../../engine/audit";
import type { Finding, InputError } from "../../engine/finding";
import type { ProfileId } from "../../engine/profiles";
import type { Resource } from "../../model";
import type { ReportedSuppression } from "../../report/report";
import { reportedSuppressions } from "../../report/suppressions";
import type { PssMinor } from "../../rules/pss/versions";
import type { Rule, Severity } from "../../rules/rule";
import { loadKubernetesFile } from "../../sources/kubernetes-file";
import { type ReadClusterOptions, readCluster } from "./read-cluster";

export interface ClusterAuditOptions extends ReadClusterOptions {
  /** @default "default" */
  profile?: ProfileId;
  /** Drop findings below this severity. @default "info" */
  minSeverity?: Severity;
  /** Run only these rule ids. */
  only?: readonly string[];
  /** Never run these rule ids. */
  skip?: readonly string[];
  /** Pod Security Standards version (minor of 1.x). @default the newest */
  pssVersion?: PssMinor;
}

export interface ClusterAuditResult {
  context: string;
  server: string;
  findings: Finding[];
  /** Objects the adapter could not read (a shape it refuses). */
  errors: InputError[];
  /** `kubernetes://…` address of every object audited. */
  objects: string[];
  suppressions: ReportedSuppression[];
  notes: string[];
}

/** The rules a cluster audit runs: the file audit's for these options. */
export function clusterAuditRules(options: ClusterAuditOptions): Rule[] {
  const o: Parameters<typeof selectRules>[0] = {};
  if (options.profile) o.profile = options.profile;
  if (options.only) o.only = options.only;
  if (options.skip) o.skip = options.skip;
  if (options.pssVersion !== undefined) o.pssVersion = options.pssVersion;
  return selectRules(o);
}

/** Reads the cluster and audits what it holds. */
export async function auditCluster(options: ClusterAuditOptions = {}): Promise<ClusterAuditResult> {
  const snapshot = await readCluster(options);
  const resources: Resource[] = [];
  const errors: InputError[] = [];
  for (const object of snapshot.objects) {
    const loaded = loadKubernetesFile(object.address, yamlLibrary().stringify(object.manifest));
    resources.push(...loaded.resources);
    errors.push(...loaded.errors);
  }
  const auditOptions: Parameters<typeof audit>[1] = {};
  if (options.profile) auditOptions.profile = options.profile;
  if (options.minSeverity) auditOptions.minSeverity = options.minSeverity;
  if (options.only) auditOptions.only = options.only;
  if (options.skip) auditOptions.skip = options.skip;
  if (options.pssVersion !== undefined) auditOptions.pssVersion = options.pssVersion;
  return {
    context: snapshot.context,
    server: snapshot.server,
    findings: audit(resources, auditOptions),
    errors,
    objects: snapshot.objects.map((o) => o.address),
    suppressions: reportedSuppressions(resources),
    notes: snapshot.notes,
  };
}
