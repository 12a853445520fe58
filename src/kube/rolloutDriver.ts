/**
 * The client that drives a rollout: it takes the driver's role in the service object, then, on
 * every tick, reads the rollout and its target's health and does what nextRolloutAction says —
 * apply the next step (one write, then the data plane), wait for approval, hold, or pause. It
 * heartbeats meanwhile, so other clients can tell it is alive. When it stops (its window closed,
 * Ctrl-C, the cluster unreachable for longer than the heartbeat timeout) the rollout stays at its
 * last applied step and every viewer shows it paused until someone resumes it.
 */
import { KubeActionError, kubeErrorOf } from '../core/kube/kubeErrors';
import { driverGone, nextRolloutAction, rolloutStepText, rolloutView, applyStep, pauseRollout, type RolloutView } from '../core/traffic/rollout';
import { DefaultHeartbeatTimeoutSeconds, rolloutActive, type RolloutState, type ServiceRecord } from '../core/traffic/trafficModel';
import type { Rollouts } from './rollouts';
import type { RevisionStore } from './revisionStore';
import type { ServiceRef, TrafficActions } from './trafficActions';

export interface DriveOptions {
  /** How often the driver looks (ms); 1 s by default. */
  tickMs?: number;
  /** A driver silent for longer is gone (s); it heartbeats three times as often. */
  heartbeatTimeoutSeconds?: number;
  /** Called with the rollout after every change the driver sees or makes. */
  onUpdate?: (view: RolloutView) => void;
  /** Ends the drive: the rollout stays where it is, shown paused (no driver). */
  signal?: AbortSignal;
}

/** How a drive ended. */
export interface DriveResult {
  state: RolloutState['state'] | 'released' | 'taken';
  view?: RolloutView;
  message: string;
}

/** Thrown inside an update when this client is no longer the driver. */
class NotDriver extends Error {}

export class RolloutDriver {
  private lastWrite = Date.now();
  private lastBeat = 0;
  private lastMessage: string | undefined;
  private needsReconcile = true;
  private ticks = 0;
  private readonly tickMs: number;
  private readonly timeoutSeconds: number;

  constructor(
    private readonly ref: ServiceRef,
    readonly driver: string,
    private readonly store: RevisionStore,
    private readonly traffic: TrafficActions,
    private readonly rollouts: Rollouts,
    private readonly options: DriveOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 1000;
    this.timeoutSeconds = options.heartbeatTimeoutSeconds ?? DefaultHeartbeatTimeoutSeconds;
  }

  private get action(): string {
    return `drive the rollout of "${this.ref.service}"`;
  }

  /** One write as the driver: refused (NotDriver) when another client has taken the role. */
  private async write(change: (record: ServiceRecord, rollout: RolloutState) => ServiceRecord | undefined): Promise<ServiceRecord> {
    const stored = await this.store.services.update(
      { ...this.ref, action: this.action },
      (record) => {
        const rollout = record.rollout;
        if (!rolloutActive(rollout) || rollout.driver !== this.driver) throw new NotDriver();
        const next = change(record, rollout) ?? record;
        if (next.rollout && rolloutActive(next.rollout)) next.rollout = { ...next.rollout, heartbeat: new Date().toISOString(), heartbeatTimeoutSeconds: this.timeoutSeconds };
        return next;
      },
      { kind: 'retry' },
    );
    this.lastWrite = Date.now();
    this.lastBeat = this.lastWrite;
    if (stored.changed && stored.object) this.needsReconcile = true;
    return stored.record;
  }

  /** Takes the driver's role: refused while another client drives it and is alive. */
  private async acquire(): Promise<void> {
    const stored = await this.store.services.update(
      { ...this.ref, action: this.action },
      (record) => {
        const rollout = record.rollout;
        if (!rolloutActive(rollout)) throw new KubeActionError(`Could not ${this.action}: no rollout is under way.`, 'precondition', undefined, { code: 'noRollout' });
        if (rollout.driver && rollout.driver !== this.driver && !driverGone(rollout, Date.now())) {
          throw new KubeActionError(`Could not ${this.action}: ${rollout.driver} drives it already (${rolloutStepText(rollout)}). Pause, resume or abort it from here instead.`, 'conflict', undefined, { code: 'drivenElsewhere' });
        }
        const at = new Date().toISOString();
        return { ...record, rollout: { ...rollout, driver: this.driver, heartbeat: at, heartbeatTimeoutSeconds: this.timeoutSeconds } };
      },
      { kind: 'retry' },
    );
    this.lastWrite = Date.now();
    this.lastBeat = this.lastWrite;
    this.report(stored.record);
  }

  private report(record: ServiceRecord): void {
    const view = rolloutView(record, Date.now());
    if (view) this.options.onUpdate?.(view);
  }

  /** Gives up the role without changing the step: the rollout shows as paused at once. */
  private async release(): Promise<void> {
    await this.store.services
      .update(
        { ...this.ref, action: this.action },
        (record) => {
          const rollout = record.rollout;
          if (!rolloutActive(rollout) || rollout.driver !== this.driver) return undefined;
          const { driver: _driver, heartbeat: _beat, ...rest } = rollout;
          return { ...record, rollout: { ...rest, message: `${this.driver} stopped driving it at ${rolloutStepText(rollout)}; resume it to go on` } };
        },
        { kind: 'retry' },
      )
      .catch(() => undefined);
  }

  /** One look at the rollout and one move; the result when the drive is over. */
  private async tick(): Promise<DriveResult | undefined> {
    const stored = await this.store.services.read(this.ref.service, this.ref.namespace, this.action);
    const rollout = stored?.record.rollout;
    if (!stored || !rollout) return { state: 'aborted', message: 'the rollout is gone (its service object was removed)' };
    const view = rolloutView(stored.record, Date.now());
    if (!rolloutActive(rollout)) return { state: rollout.state, ...(view ? { view } : {}), message: rollout.message ?? rollout.state };
    if (rollout.driver !== this.driver) return { state: 'taken', ...(view ? { view } : {}), message: rollout.driver ? `${rollout.driver} drives it now` : 'another client released it' };
    if (this.needsReconcile || this.ticks % 10 === 0) {
      await this.traffic.reconcile(stored, this.ref.namespace);
      this.needsReconcile = false;
    }
    const health = await this.rollouts.health({ ...this.ref, revision: rollout.target });
    const now = Date.now();
    const action = nextRolloutAction(rollout, health, now);
    let record: ServiceRecord | undefined;
    switch (action.kind) {
      case 'apply':
        record = await this.write((r, current) => (current.step === rollout.step && current.state !== 'paused' ? applyStep(r, action.step, now) : undefined));
        break;
      case 'waitApproval':
        record = await this.write((r, current) => ({ ...r, rollout: { ...current, state: 'waiting-approval', message: `${rolloutStepText(current)} held: waiting for approval (resume it to go on)` } }));
        break;
      case 'pause':
        record = await this.write((r) => pauseRollout(r, this.driver, now, `paused: ${action.why}`));
        break;
      case 'hold':
        if (action.why !== this.lastMessage) record = await this.write((r, current) => ({ ...r, rollout: { ...current, message: action.why } }));
        this.lastMessage = action.why;
        break;
      case 'none':
        break;
    }
    if (!record && now - this.lastBeat > (this.timeoutSeconds * 1000) / 3) record = await this.write(() => undefined);
    if (record) {
      this.report(record);
      if (this.needsReconcile) {
        await this.traffic.reconcile({ record, object: { metadata: { uid: stored.object?.metadata?.uid ?? '' } } }, this.ref.namespace);
        this.needsReconcile = false;
      }
      if (record.rollout && !rolloutActive(record.rollout)) return { state: record.rollout.state, ...(rolloutView(record, Date.now()) ? { view: rolloutView(record, Date.now()) as RolloutView } : {}), message: record.rollout.message ?? record.rollout.state };
    }
    return undefined;
  }

  /** How the rollout stands once this client is no longer its driver: ended, or driven by another. */
  private async ended(): Promise<DriveResult> {
    const stored = await this.store.services.read(this.ref.service, this.ref.namespace, this.action).catch(() => undefined);
    const rollout = stored?.record.rollout;
    const view = stored ? rolloutView(stored.record, Date.now()) : undefined;
    if (rollout && !rolloutActive(rollout)) return { state: rollout.state, ...(view ? { view } : {}), message: rollout.message ?? rollout.state };
    return { state: 'taken', ...(view ? { view } : {}), message: rollout?.driver ? `${rollout.driver} drives it now` : 'another client took over the rollout' };
  }

  /**
   * Drives until the rollout is done or aborted, another client takes it over, the signal ends the
   * drive, or the cluster cannot be written for longer than the heartbeat timeout (rejects then:
   * the rollout stays at its last applied step).
   */
  async run(): Promise<DriveResult> {
    await this.acquire();
    for (;;) {
      if (this.options.signal?.aborted) {
        await this.release();
        return { state: 'released', message: `stopped driving the rollout of "${this.ref.service}"; it stays at its current step, shown as paused, until someone resumes it` };
      }
      try {
        const result = await this.tick();
        if (result) return result;
      } catch (error) {
        if (error instanceof NotDriver) return this.ended();
        const silentFor = (Date.now() - this.lastWrite) / 1000;
        if (silentFor > this.timeoutSeconds) {
          const why = kubeErrorOf(error)?.message ?? (error instanceof Error ? error.message : String(error));
          throw new KubeActionError(`Stopped driving the rollout of "${this.ref.service}": the cluster could not be written for ${Math.round(silentFor)} s. ${why} The rollout stays at its last applied step and shows as paused; resume it once the cluster answers (serve-revisions rollout resume ${this.ref.service} --wait).`, kubeErrorOf(error)?.kind ?? 'unavailable', undefined, { cause: error });
        }
      }
      this.ticks++;
      await sleep(this.tickMs, this.options.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
