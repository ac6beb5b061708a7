import type Dockerode from "dockerode";
import type { Finding } from "../engine/finding";
import { auditInspectedContainer, engineDefaultsFromInfo } from "../live/audit-container";
import type { EngineDefaults } from "../live/container-workload";
import type { EngineInfo } from "../live/daemon-model";
import { connectEngine, type EngineAddress, parseEngineAddress } from "../live/engine";
import { type Severity, severityRank } from "../rules/rule";
import type { AlertContainer, WatchAlert } from "./alert";
import { WatchCheck, type WatchOptions } from "./options";
import { cpuLimitOf, jsonLines, type StatsSample, sampleGap, usageBetween } from "./stats";

/** What the watcher tells its owner. */
export interface WatcherHooks {
  alert(alert: WatchAlert): void;
  /** Connection changes and problems, for people. */
  status(message: string): void;
  /** Every engine event seen (its JSON record). */
  event(record: Record<string, unknown>): void;
}

/** One Engine API event (`GET /events`). */
interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** What the watcher remembers of a container it has seen (across engine restarts). */
interface Seen {
  restartCount: number;
  /** The `StartedAt` whose runtime alert has been raised. */
  runtimeAlertedFor?: string;
  cpuAlerted: boolean;
  memoryAlerted: boolean;
}

/** A running container the watcher follows: its stats stream and runtime timer. */
interface Tracked {
  container: AlertContainer;
  stats?: NodeJS.ReadableStream & { destroy?: () => void };
  window?: StatsSample;
  cpuLimit?: number;
  runtimeTimer?: NodeJS.Timeout;
}

type Inspect = Dockerode.ContainerInspectInfo;

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Reconnection backoff: 0.5 s doubling up to 10 s. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;

function nameOf(info: Inspect): string {
  return (info.Name ?? "").replace(/^\//, "") || info.Id.slice(0, 12);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The runtime monitor: follows the engine's event stream and each running container's stats
 * stream (no polling), and raises alerts for the enabled checks. Reconnects, with backoff, when
 * the engine goes away; `start` throws `EngineUnreachableError` when the first connection fails.
 */
export class Watcher {
  private readonly options: WatchOptions;
  private readonly hooks: WatcherHooks;
  private readonly address: EngineAddress;
  private readonly wanted: ReadonlySet<string>;
  private readonly seen = new Map<string, Seen>();
  private readonly tracked = new Map<string, Tracked>();
  private client: Dockerode | undefined;
  private events: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  private defaults: EngineDefaults = { seccomp: true, noNewPrivileges: false, usernsRemap: false };
  private engineName = "localhost";
  private queue: Promise<void> = Promise.resolve();
  private generation = 0;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private resolveDone: () => void = () => undefined;
  /** Settles when `stop` has been called. */
  readonly done: Promise<void>;

  constructor(options: WatchOptions, hooks: WatcherHooks) {
    this.options = options;
    this.hooks = hooks;
    this.address = parseEngineAddress(options.host);
    this.wanted = new Set(options.containers);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** The engine address as given, for messages. */
  get engine(): string {
    return this.address.raw;
  }

  /** Connects and starts following; throws `EngineUnreachableError` when the engine does not answer. */
  async start(): Promise<void> {
    await this.connect(false);
  }

  /** Stops every stream and timer; `done` settles. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.dropStreams();
    this.resolveDone();
  }

  private enabled(check: WatchCheck): boolean {
    return this.options.checks.has(check);
  }

  private matches(id: string | undefined, name: string | undefined): boolean {
    if (this.wanted.size === 0) return true;
    if (name !== undefined && this.wanted.has(name)) return true;
    if (id === undefined) return false;
    for (const w of this.wanted) if (w.length >= 12 && id.startsWith(w)) return true;
    return false;
  }

  private async connect(reconnecting: boolean): Promise<void> {
    // Pinged with a bounded client; the streams use one without a socket timeout (an idle events
    // stream is not a dead one).
    const pinged = await connectEngine(this.address);
    const info = (await pinged.info()) as EngineInfo;
    const Docker = require("dockerode") as typeof Dockerode;
    const client = new Docker(this.address.options);
    this.client = client;
    this.engineName = info.Name || "localhost";
    this.defaults = engineDefaultsFromInfo(info);
    const generation = ++this.generation;
    const filters: Record<string, string[]> = { type: ["container"] };
    const stream = (await client.getEvents({ filters })) as NodeJS.ReadableStream & { destroy?: () => void };
    this.events = stream;
    let lost = false;
    const onLost = (why: string) => {
      if (lost || this.stopped || generation !== this.generation) return;
      lost = true;
      this.disconnected(why);
    };
    stream.on(
      "data",
      jsonLines((value) => {
        const event = value as EngineEvent;
        this.queue = this.queue
          .then(() => this.handle(event))
          .catch((e: unknown) => {
            this.hooks.status(`event ${event.Action ?? "?"} not handled: ${(e as Error).message}`);
          });
      }),
    );
    stream.on("error", (e: Error) => onLost(e.message));
    stream.on("end", () => onLost("the event stream ended"));
    stream.on("close", () => onLost("the event stream closed"));
    // After subscribing, so that nothing starts unseen between the list and the stream.
    const running = await client.listContainers({ filters: { status: ["running"] } });
    for (const summary of running) {
      const name = (summary.Names?.[0] ?? "").replace(/^\//, "");
      if (!this.matches(summary.Id, name)) continue;
      this.queue = this.queue.then(async () => {
        const inspect = await this.inspect(summary.Id);
        // Containers running when the watcher starts are not new; those started while it was
        // away from a restarted engine are.
        if (inspect) this.follow(inspect, reconnecting);
      });
    }
    await this.queue;
    this.hooks.status(
      `${reconnecting ? "reconnected to" : "watching"} ${this.address.raw} (${this.tracked.size} running container(s) followed; checks: ${[...this.options.checks].join(", ") || "none"})`,
    );
  }

  private disconnected(why: string): void {
    this.dropStreams();
    this.hooks.status(`lost the engine at ${this.address.raw} (${why}); reconnecting`);
    this.hooks.event({ kind: "status", time: new Date().toISOString(), status: "disconnected", reason: why });
    this.scheduleReconnect(RECONNECT_FIRST_MS);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => {
      this.connect(true).then(
        () => this.hooks.event({ kind: "status", time: new Date().toISOString(), status: "reconnected" }),
        () => {
          this.dropStreams();
          this.scheduleReconnect(Math.min(delayMs * 2, RECONNECT_MAX_MS));
        },
      );
    }, delayMs);
  }

  private dropStreams(): void {
    this.generation++;
    this.events?.destroy?.();
    this.events = undefined;
    for (const t of this.tracked.values()) this.unfollow(t);
    this.tracked.clear();
  }

  private async inspect(id: string): Promise<Inspect | undefined> {
    try {
      return await (this.client as Dockerode).getContainer(id).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  private async handle(event: EngineEvent): Promise<void> {
    if (this.stopped || event.Type !== "container") return;
    const id = event.Actor?.ID;
    const attributes = event.Actor?.Attributes ?? {};
    const name = attributes.name;
    if (id === undefined || !this.matches(id, name)) return;
    const action = event.Action ?? "";
    const [verb = "", ...rest] = action.split(": ");
    this.hooks.event({
      kind: "event",
      time: new Date((event.time ?? 0) * 1000).toISOString(),
      action: verb,
      container: { id, name: name ?? "", image: attributes.image ?? "" },
    });
    const container: AlertContainer = { id, name: name ?? id.slice(0, 12), image: attributes.image ?? "" };
    switch (verb) {
      case "create": {
        // Audited when it appears: a privileged container is a finding even if it never starts.
        const info = await this.inspect(id);
        if (info) this.register(info, true);
        break;
      }
      case "start": {
        const info = await this.inspect(id);
        if (info?.State.Running) this.follow(info, true);
        break;
      }
      case "die": {
        const t = this.tracked.get(id);
        if (t) this.unfollow(t);
        this.tracked.delete(id);
        break;
      }
      case "destroy":
        this.seen.delete(id);
        break;
      case "oom":
        if (this.enabled(WatchCheck.Oom))
          this.raise(
            WatchCheck.Oom,
            "high",
            container,
            `the OOM killer struck in container ${container.name}`,
            {},
          );
        break;
      case "restart":
        if (this.enabled(WatchCheck.Restart))
          this.raise(WatchCheck.Restart, "medium", container, `container ${container.name} was restarted`, {
            reason: "restart",
          });
        break;
      case "exec_start":
        if (this.enabled(WatchCheck.Exec)) {
          const command = rest.join(": ").trim();
          this.raise(
            WatchCheck.Exec,
            "high",
            container,
            `a process was started in container ${container.name} with docker exec`,
            {
              command,
              execId: attributes.execID ?? "",
            },
          );
        }
        break;
      default:
        break;
    }
  }

  /** Remembers a container; audits it when it is new, alerts when its restart count grew. */
  private register(info: Inspect, isNew: boolean): { seen: Seen; container: AlertContainer } {
    const id = info.Id;
    const container: AlertContainer = { id, name: nameOf(info), image: info.Config?.Image ?? "" };
    let seen = this.seen.get(id);
    if (!seen) {
      seen = { restartCount: info.RestartCount ?? 0, cpuAlerted: false, memoryAlerted: false };
      this.seen.set(id, seen);
      if (isNew && this.enabled(WatchCheck.Audit)) this.auditContainer(info, container);
    } else if ((info.RestartCount ?? 0) > seen.restartCount) {
      const restarts = (info.RestartCount ?? 0) - seen.restartCount;
      seen.restartCount = info.RestartCount ?? 0;
      if (this.enabled(WatchCheck.Restart))
        this.raise(
          WatchCheck.Restart,
          "medium",
          container,
          `container ${container.name} was restarted by its restart policy`,
          {
            reason: "restart-policy",
            restartCount: seen.restartCount,
            restarts,
          },
        );
    }
    return { seen, container };
  }

  /** Starts following a running container (stats stream, runtime timer); registers it first. */
  private follow(info: Inspect, isNew: boolean): void {
    const id = info.Id;
    const { seen, container } = this.register(info, isNew);
    const previous = this.tracked.get(id);
    if (previous) this.unfollow(previous);
    const tracked: Tracked = { container };
    const cpuLimit = cpuLimitOf(info);
    if (cpuLimit !== undefined) tracked.cpuLimit = cpuLimit;
    this.tracked.set(id, tracked);
    if (this.enabled(WatchCheck.Runtime)) this.armRuntime(tracked, info.State.StartedAt, seen);
    if (this.enabled(WatchCheck.Resources)) this.followStats(tracked, seen);
  }

  private unfollow(t: Tracked): void {
    clearTimeout(t.runtimeTimer);
    t.runtimeTimer = undefined;
    t.stats?.destroy?.();
    t.stats = undefined;
  }

  private armRuntime(t: Tracked, startedAt: string, seen: Seen): void {
    if (seen.runtimeAlertedFor === startedAt) return;
    const started = Date.parse(startedAt);
    if (!Number.isFinite(started)) return;
    const limitMs = this.options.runtimeLimitSeconds * 1000;
    const fire = () => {
      const due = started + limitMs - Date.now();
      if (due > 0) {
        t.runtimeTimer = setTimeout(fire, Math.min(due, MAX_TIMER_MS));
        return;
      }
      if (this.tracked.get(t.container.id) !== t || seen.runtimeAlertedFor === startedAt) return;
      seen.runtimeAlertedFor = startedAt;
      const running = Math.round((Date.now() - started) / 1000);
      this.raise(
        WatchCheck.Runtime,
        "medium",
        t.container,
        `container ${t.container.name} has run ${running} s, over the runtime limit of ${this.options.runtimeLimitSeconds} s`,
        { startedAt, runningSeconds: running, limitSeconds: this.options.runtimeLimitSeconds },
      );
    };
    fire();
  }

  private followStats(t: Tracked, seen: Seen): void {
    const client = this.client as Dockerode;
    const generation = this.generation;
    client
      .getContainer(t.container.id)
      .stats({ stream: true })
      .then((stream) => {
        const s = stream as NodeJS.ReadableStream & { destroy?: () => void };
        if (this.tracked.get(t.container.id) !== t || generation !== this.generation) {
          s.destroy?.();
          return;
        }
        t.stats = s;
        s.on("error", () => undefined);
        s.on(
          "data",
          jsonLines((value) => this.sample(t, seen, value as StatsSample)),
        );
      })
      .catch((e: Error) => {
        if (!this.stopped && this.tracked.get(t.container.id) === t)
          this.hooks.status(`no stats for ${t.container.name}: ${e.message}`);
      });
  }

  private sample(t: Tracked, seen: Seen, sample: StatsSample): void {
    if (!t.window) {
      t.window = sample;
      return;
    }
    const gap = sampleGap(t.window, sample);
    if (!(gap >= this.options.intervalSeconds)) return;
    const usage = usageBetween(t.window, sample, t.cpuLimit);
    t.window = sample;
    if (!usage) return;
    const threshold = this.options.resourceThreshold;
    const details = {
      cpuPercent: round(usage.cpuPercent),
      cpuCores: Math.round(usage.cpuCores * 1000) / 1000,
      cpuLimit: t.cpuLimit ?? 0,
      memoryPercent: round(usage.memoryPercent),
      memoryBytes: usage.memoryBytes,
      memoryLimitBytes: usage.memoryLimitBytes,
      thresholdPercent: threshold,
      windowSeconds: round(usage.seconds),
    };
    if (usage.cpuPercent > threshold) {
      if (!seen.cpuAlerted) {
        seen.cpuAlerted = true;
        this.raise(
          WatchCheck.Resources,
          "medium",
          t.container,
          `container ${t.container.name} used ${details.cpuPercent}% CPU over ${details.windowSeconds} s, over the threshold of ${threshold}%`,
          { resource: "cpu", ...details },
        );
      }
    } else seen.cpuAlerted = false;
    if (usage.memoryPercent > threshold) {
      if (!seen.memoryAlerted) {
        seen.memoryAlerted = true;
        this.raise(
          WatchCheck.Resources,
          "medium",
          t.container,
          `container ${t.container.name} uses ${details.memoryPercent}% of its memory limit, over the threshold of ${threshold}%`,
          { resource: "memory", ...details },
        );
      }
    } else seen.memoryAlerted = false;
  }

  private auditContainer(info: Inspect, container: AlertContainer): void {
    let findings: Finding[];
    try {
      findings = auditInspectedContainer(info, this.engineName, this.defaults, this.options.auditMinSeverity);
    } catch (e) {
      this.hooks.status(`cannot audit ${container.name}: ${(e as Error).message}`);
      return;
    }
    if (findings.length === 0) return;
    let worst: Severity = "low";
    for (const f of findings) if (severityRank(f.severity) > severityRank(worst)) worst = f.severity;
    const rules = [...new Set(findings.map((f) => f.ruleId))].sort();
    this.raise(
      WatchCheck.Audit,
      worst === "info" ? "low" : worst,
      container,
      `new container ${container.name} violates the audit rules: ${rules.join(", ")}`,
      {
        rules: rules.join(","),
        findings: findings.map((f) => ({ rule: f.ruleId, severity: f.severity, message: f.message })),
      },
    );
  }

  private raise(
    check: WatchCheck,
    severity: WatchAlert["severity"],
    container: AlertContainer,
    message: string,
    details: WatchAlert["details"],
  ): void {
    if (this.stopped) return;
    this.hooks.alert({
      version: 1,
      check,
      severity,
      time: new Date().toISOString(),
      engine: this.address.raw,
      container,
      message,
      details,
    });
  }
}
