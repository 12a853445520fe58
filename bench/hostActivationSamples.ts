/** What bench/hostActivationSuite.ts (in the extension host) hands bench/hostActivation.ts (in the bench). */
export const SamplesLine = 'serve-revisions-host-activation ';

export interface HostActivationSample {
  /** What VS Code's Running Extensions view shows as the activation time: load code + call activate. */
  activationMs: number;
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  event: string;
  /**
   * VS Code's load code of every other extension in the same window's table (often none is
   * activated yet): what the host pays to load any extension's code there, the floor under ours.
   */
  othersLoadCodeMs: number[];
  /** Which lazy bundles activate() had loaded when it returned. */
  loadedAtActivation: { engine: boolean; kube: boolean };
}
