import type * as vscode from 'vscode';

/**
 * Keeps the ages the Revisions view shows current: one timer, set for the moment the next age
 * would read differently (at most once a minute for a young revision, once an hour for an old
 * one), and none at all while the view is hidden. `tick` redraws what changed and says how long
 * until the next change.
 */
export class AgeClock implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private visible = false;

  constructor(private readonly tick: () => number | undefined) {}

  /** The view was shown or hidden: ticking starts with an immediate catch-up, or stops. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.reschedule();
  }

  /** What the view shows changed (a new revision may need an earlier tick): catch up now and plan again. */
  reschedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.visible) return;
    const wait = this.tick();
    if (wait === undefined) return;
    this.timer = setTimeout(() => this.reschedule(), wait);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.visible = false;
  }
}
