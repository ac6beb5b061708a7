/**
 * The work of `shipshape registry retention|cleanup` (the seed's registry-security-manager
 * cleanup, as Harbor- and ECR-style keep rules): plan from the registry's API, protect what
 * runs or what a stack's state names, print the plan, and delete only with --apply.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import {
  applyRetention,
  digestsInStackExport,
  digestsInUseByEngine,
  type NormalizedRetentionPolicy,
  parseRetentionPolicy,
  planRetention,
  RegistryClient,
  RetentionAction,
  readInventory,
} from "../registry";
import { printable } from "../report/untrusted";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT, UsageError } from "./io";

export interface RetentionFlags {
  registry: string;
  policy?: string;
  repositories: string[];
  tags: string[];
  keepLast?: number;
  keepDays?: number;
  keepTags: string[];
  deleteUntagged?: boolean;
  storage?: string;
  protectEngine: boolean;
  host?: string;
  stackState: string[];
  insecureRegistry?: boolean;
  apply?: boolean;
  format: string;
}

function policyFrom(flags: RetentionFlags): NormalizedRetentionPolicy {
  const ruleFlags = flags.keepLast !== undefined || flags.keepDays !== undefined || flags.tags.length > 0;
  if (flags.policy) {
    if (ruleFlags)
      throw new UsageError("give the rules in --policy or as --keep-last/--keep-days/--tags, not both");
    let value: unknown;
    try {
      value = parseYaml(readFileSync(flags.policy, "utf8"));
    } catch (e) {
      throw new UsageError(`cannot read the retention policy ${flags.policy}: ${(e as Error).message}`);
    }
    try {
      return parseRetentionPolicy(value, `the retention policy ${flags.policy}`);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const tags = flags.tags.length ? flags.tags : ["*"];
  const rules = [
    ...(flags.keepLast !== undefined ? [{ tags, keepLast: flags.keepLast }] : []),
    ...(flags.keepDays !== undefined ? [{ tags, keepDays: flags.keepDays }] : []),
  ];
  if (rules.length === 0) {
    throw new UsageError(
      "say what to keep: --keep-last N and/or --keep-days N (optionally --tags), or --policy FILE",
    );
  }
  try {
    return parseRetentionPolicy({
      repositories: flags.repositories.length ? flags.repositories : ["*"],
      rules,
      keepTags: flags.keepTags,
      deleteUntagged: flags.deleteUntagged ?? false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function runRetention(flags: RetentionFlags, io: CliIo): Promise<number> {
  const policy = policyFrom(flags);
  if (policy.deleteUntagged && !flags.storage) {
    throw new UsageError(
      "--delete-untagged needs --storage DIR (the registry's filesystem root): the distribution API does not list untagged manifests; for the loopback registry setup runs it is ~/.cache/shipshape/registry/data",
    );
  }
  const client = new RegistryClient(flags.registry, flags.insecureRegistry ? { insecure: true } : {});
  const protectedDigests = new Map<string, string>();
  if (flags.protectEngine)
    for (const [d, who] of await digestsInUseByEngine(flags.host)) protectedDigests.set(d, who);
  for (const file of flags.stackState) {
    try {
      for (const [d, who] of digestsInStackExport(file))
        if (!protectedDigests.has(d)) protectedDigests.set(d, who);
    } catch (e) {
      throw new UsageError(`cannot read the stack state ${file}: ${(e as Error).message}`);
    }
  }
  const inventory = await readInventory(client, policy.repositories, flags.storage);
  const plan = planRetention(inventory, policy, { now: new Date(), protectedDigests });
  const applied = flags.apply ? await applyRetention(client, plan) : [];
  const errors = applied.filter((a) => a.error);
  if (flags.format === "json") {
    io.stdout(
      `${JSON.stringify(
        {
          registry: flags.registry,
          applied: Boolean(flags.apply),
          kept: plan.kept,
          deleted: flags.apply ? applied.length - errors.length : 0,
          toDelete: plan.deleted,
          decisions: plan.decisions,
          errors: errors.map((e) => ({
            repository: e.decision.repository,
            digest: e.decision.digest,
            error: e.error,
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const mode = flags.apply
      ? `deleted ${applied.length - errors.length}`
      : "dry run: nothing deleted (--apply deletes)";
    io.stdout(
      `registry ${printable(flags.registry)}: ${inventory.length} repositor${inventory.length === 1 ? "y" : "ies"}, ${plan.decisions.length} manifest(s): keep ${plan.kept}, delete ${plan.deleted}; ${mode}\n`,
    );
    let repo = "";
    for (const d of plan.decisions) {
      if (d.repository !== repo) {
        repo = d.repository;
        io.stdout(`  ${printable(repo)}\n`);
      }
      const tags = d.tags.length ? d.tags.map(printable).join(", ") : "(untagged)";
      const verb = d.action === RetentionAction.Keep ? "keep  " : "delete";
      io.stdout(
        `    ${verb}  ${d.digest.slice(0, 19)}…  ${tags}  ${d.created?.slice(0, 10) ?? "-"}  ${printable(d.reasons.join("; "))}\n`,
      );
    }
    for (const e of errors) io.stderr(`error: ${printable(e.error ?? "")}\n`);
  }
  return errors.length ? EXIT_INPUT : EXIT_CLEAN;
}
