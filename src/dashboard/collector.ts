/**
 * What `shipshape dashboard` shows, kept current: every container of the engine with its state,
 * the live audit's verdict and a window of its resource use (from its stats stream, one point a
 * second), and the alerts of a runtime watcher (the same checks as `shipshape watch`).
 */
import type Dockerode from "dockerode";
import type { AnalysisFinding, ContainerState } from "../analyze/analyze";
import { type UsagePoint, usagePoints } from "../analyze/resource-profile";
import { auditInspectedContainer, engineDefaultsFromInfo } from "../live/audit-container";
import type { EngineDefaults } from "../live/container-workload";
import type { EngineInfo } from "../live/daemon-model";
import { connectEngine, type EngineAddress, parseEngineAddress } from "../live/engine";
import { type Severity, severityRank } from "../rules/rule";
import type { WatchAlert } from "../watch/alert";
import { ALL_WATCH_CHECKS, type WatchOptions } from "../watch/options";
import { cpuLimitOf, jsonLines, type StatsSample } from "../watch/stats";
import { Watcher } from "../watch/watcher";

export interface DashboardOptions {
  /** Engine address. @default DOCKER_HOST, else the local socket */
  host?: string;
  /** Seconds between two readings of the container list. */
  refreshSeconds: number;
  /** Resource points kept per container (one a second). */
  historyPoints: number;
  /** The watcher's resource threshold, percent. */
  resourceThreshold: number;
  /** The watcher's runtime limit, seconds. */
  runtimeLimitSeconds: number;
}

export interface ContainerView extends ContainerState {
  restartCount: number;
  /** No live-audit finding of medium severity or worse. */
  hardened: boolean;
  worstSeverity?: Severity;
  findings: AnalysisFinding[];
  cpuLimitCpus?: number;
  memoryLimitBytes?: number;
  /** The last `historyPoints` seconds of resource use, oldest first. */
  points: UsagePoint[];
}

export interface DashboardSnapshot {
  version: 1;
  engine: string;
  time: string;
  refreshSeconds: number;
  connected: boolean;
  /** Why the engine could not be read, when it could not. */
  problem?: string;
  containers: ContainerView[];
  /** The watcher's alerts, newest first (at most `MAX_ALERTS`). */
  alerts: WatchAlert[];
}

export const MAX_ALERTS = 200;

interface Followed {
  view: ContainerView;
  /** What the view was built from: a change means inspecting again. */
  key: string;
  stream?: NodeJS.ReadableStream & { destroy?: () => void };
  last?: StatsSample;
}

export class DashboardCollector {
  private readonly options: DashboardOptions;
  private readonly address: EngineAddress;
  private readonly followed = new Map<string, Followed>();
  private readonly alerts: WatchAlert[] = [];
  private readonly watcher: Watcher;
  private client: Dockerode | undefined;
  private defaults: EngineDefaults = { seccomp: true, noNewPrivileges: false, usernsRemap: false };
  private engineName = "localhost";
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private connected = false;
  private problem: string | undefined;
  private stopped = false;

  constructor(options: DashboardOptions) {
    this.options = options;
    this.address = parseEngineAddress(options.host);
    const watch: WatchOptions = {
      intervalSeconds: 10,
      resourceThreshold: options.resourceThreshold,
      runtimeLimitSeconds: options.runtimeLimitSeconds,
      containers: [],
      checks: new Set(ALL_WATCH_CHECKS),
      auditMinSeverity: "medium",
      verbose: false,
    };
    if (options.host !== undefined) watch.host = options.host;
    this.watcher = new Watcher(watch, {
      alert: (alert) => {
        this.alerts.unshift(alert);
        if (this.alerts.length > MAX_ALERTS) this.alerts.length = MAX_ALERTS;
      },
      status: () => undefined,
      event: () => undefined,
    });
  }

  get engine(): string {
    return this.address.raw;
  }

  /** Connects (throws `EngineUnreachableError` when the engine does not answer), then keeps current. */
  async start(): Promise<void> {
    const pinged = await connectEngine(this.address);
    const info = (await pinged.info()) as EngineInfo;
    this.engineName = info.Name || "localhost";
    this.defaults = engineDefaultsFromInfo(info);
    const Docker = require("dockerode") as typeof Dockerode;
    // Stats streams are long reads: a client without a socket timeout.
    this.client = new Docker(this.address.options);
    await this.watcher.start();
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshSeconds * 1000);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.watcher.stop();
    for (const f of this.followed.values()) f.stream?.destroy?.();
    this.followed.clear();
  }

  snapshot(): DashboardSnapshot {
    const containers = [...this.followed.values()]
      .map((f) => f.view)
      .sort((a, b) => Number(b.running) - Number(a.running) || a.name.localeCompare(b.name));
    const snap: DashboardSnapshot = {
      version: 1,
      engine: this.address.raw,
      time: new Date().toISOString(),
      refreshSeconds: this.options.refreshSeconds,
      connected: this.connected,
      containers,
      alerts: [...this.alerts],
    };
    if (this.problem !== undefined) snap.problem = this.problem;
    return snap;
  }

  /** Reads the container list; one refresh at a time. */
  refresh(): Promise<void> {
    if (!this.refreshing)
      this.refreshing = this.readContainers().finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async readContainers(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped) return;
    let listed: Dockerode.ContainerInfo[];
    try {
      listed = await client.listContainers({ all: true });
      this.connected = true;
      this.problem = undefined;
    } catch (e) {
      this.connected = false;
      this.problem = `the engine at ${this.address.raw} does not answer: ${(e as Error).message}`;
      return;
    }
    const present = new Set<string>();
    for (const summary of listed) {
      present.add(summary.Id);
      const key = `${summary.State}/${summary.Status.startsWith("Up") ? "up" : summary.Status}/${summary.Created}`;
      const known = this.followed.get(summary.Id);
      if (known && known.key === key) continue;
      await this.inspect(client, summary.Id, key, known);
    }
    for (const [id, f] of this.followed)
      if (!present.has(id)) {
        f.stream?.destroy?.();
        this.followed.delete(id);
      }
  }

  private async inspect(client: Dockerode, id: string, key: string, known?: Followed): Promise<void> {
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await client.getContainer(id).inspect();
    } catch {
      return; // removed between the list and the inspect
    }
    let findings: AnalysisFinding[] = [];
    try {
      findings = auditInspectedContainer(info, this.engineName, this.defaults).map((f) => ({
        rule: f.ruleId,
        severity: f.severity,
        message: f.message,
      }));
    } catch (e) {
      findings = [
        { rule: "audit-error", severity: "medium", message: `cannot audit: ${(e as Error).message}` },
      ];
    }
    let worst: Severity | undefined;
    for (const f of findings)
      if (!worst || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
    const running = info.State.Running === true;
    const view: ContainerView = {
      id: info.Id,
      name: info.Name.replace(/^\//, ""),
      image: info.Config.Image,
      status: info.State.Status,
      running,
      restartCount: info.RestartCount ?? 0,
      hardened: !findings.some((f) => severityRank(f.severity) >= severityRank("medium")),
      findings,
      points: known?.view.points ?? [],
    };
    if (worst) view.worstSeverity = worst;
    if (running && info.State.StartedAt) view.startedAt = info.State.StartedAt;
    const cpu = cpuLimitOf(info);
    if (cpu !== undefined) view.cpuLimitCpus = cpu;
    if (info.HostConfig.Memory && info.HostConfig.Memory > 0) view.memoryLimitBytes = info.HostConfig.Memory;
    const followed: Followed = { view, key };
    if (known?.stream && running) {
      followed.stream = known.stream;
      if (known.last) followed.last = known.last;
    } else known?.stream?.destroy?.();
    this.followed.set(id, followed);
    if (running && !followed.stream) await this.followStats(client, followed);
  }

  private async followStats(client: Dockerode, f: Followed): Promise<void> {
    let stream: NodeJS.ReadableStream & { destroy?: () => void };
    try {
      stream = (await client.getContainer(f.view.id).stats({ stream: true })) as unknown as typeof stream;
    } catch {
      return;
    }
    f.stream = stream;
    const id = f.view.id;
    stream.on(
      "data",
      jsonLines((v) => {
        const current = this.followed.get(id);
        if (!current) return;
        const sample = v as StatsSample;
        if (current.last) {
          const [point] = usagePoints([current.last, sample], current.view.cpuLimitCpus);
          if (point) {
            current.view.points.push(point);
            const excess = current.view.points.length - this.options.historyPoints;
            if (excess > 0) current.view.points.splice(0, excess);
          }
        }
        current.last = sample;
      }),
    );
    const drop = () => {
      const current = this.followed.get(id);
      if (current && current.stream === stream) {
        delete current.stream;
        delete current.last;
        // Followed again at the next refresh if it still runs.
        current.key = "";
      }
    };
    stream.on("end", drop);
    stream.on("error", drop);
  }
}
