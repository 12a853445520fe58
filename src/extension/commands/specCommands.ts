/**
 * The commands on a revision spec document (the CodeLens actions and the palette): create,
 * create and launch, dry-run on the cluster, show the rendered objects; and New Revision Spec File.
 */
import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import type { CreateResult, DryRunResult } from '../../bundles/loadKube';
import type { RevisionSpec } from '../../core/spec/revisionSpec';
import type { ServiceSpec } from '../../core/spec/serviceSpec';
import { specErrorSummary } from '../../core/spec/specErrorSummary';
import { newRevisionSpecTemplate } from '../../core/spec/template';
import { registerCommand } from '../common/registerCommand';
import { notify } from '../common/notify';
import { Settings } from '../common/settings';
import { CommandIds, LanguageId } from '../ids';
import type { RevealTarget } from '../tree/revealRevision';
import { revisionName } from '../tree/revisionPresentation';
import type { CommandDeps } from './commandDeps';
import { createRevision } from './createFlow';

/** The spec of the given (or active) document, refusing with the errors when it has any. */
async function specOf({ parses }: CommandDeps, uri: vscode.Uri | undefined, action: string): Promise<{ spec: RevisionSpec; doc: vscode.TextDocument }> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc) throw new Error(`Could not ${action}: no revision spec is open. Open a *.revision.yaml file and try again.`);
  const parsed = parses.get(doc);
  const errors = loadEngine().diagnoseParsedSpec(parsed).filter((d) => d.severity === 'error');
  const name = vscode.workspace.asRelativePath(doc.uri);
  if (errors.length > 0) {
    const summary = specErrorSummary(errors.map((e) => `line ${e.range.start.line + 1}: ${e.message}`), 3);
    throw new Error(`Could not ${action} from ${name}: the spec ${summary}. Fix them (see the Problems panel) and try again.`);
  }
  const spec = loadEngine().specValue(parsed);
  if (!spec) throw new Error(`Could not ${action} from ${name}: it does not hold a revision spec.`);
  return { spec, doc };
}

async function create(deps: CommandDeps, uri: vscode.Uri | undefined, launch: boolean): Promise<CreateResult> {
  const { spec } = await specOf(deps, uri, launch ? 'create and launch a revision' : 'create a revision');
  if ((spec as { kind?: unknown }).kind === 'Service') throw new Error(`Could not create a revision of ${spec.service}: this document holds a service's settings (kind: Service), not a revision. Use Apply Service Settings.`);
  const outcome = await createRevision(deps, spec, launch);
  const { result } = outcome;
  const offer = result.started ? await trafficOffer(deps, result) : { note: '', actions: [] };
  // Not awaited: the command is done; the buttons move traffic for as long as the notification shows.
  void notify(deps.logger, outcome.severity, `${outcome.text}${offer.note}`, { actions: offer.actions }).then((choice) => {
    const ref = { service: result.service, revision: result.revision, namespace: result.namespace };
    if (choice === RouteAllTraffic) void vscode.commands.executeCommand(CommandIds.routeAllTrafficHere, ref);
    if (choice === StartRollout) void vscode.commands.executeCommand(CommandIds.startRollout, ref);
  });
  // Selected in the tree, keyboard focus left in the editor the person is working in.
  const target: RevealTarget = { service: result.service, revision: result.revision, namespace: result.namespace, focus: false };
  void vscode.commands.executeCommand(CommandIds.revealRevision, target);
  return result;
}

const RouteAllTraffic = 'Route All Traffic Here';
const StartRollout = 'Start Rollout…';

/**
 * After a launch from YAML: a revision that got no traffic (a later one: starting never moves
 * traffic) is offered the two ways to give it some, as the form offers them before it launches.
 * A service's first revision already has it all; a cluster that will not say offers nothing.
 */
async function trafficOffer(deps: CommandDeps, result: CreateResult): Promise<{ note: string; actions: string[] }> {
  try {
    const service = await deps.session.getClient().traffic.service(result.service, result.namespace);
    const share = service.revisions.find((r) => r.revision === result.revision)?.traffic?.percent ?? 0;
    if (share > 0) return { note: '', actions: [] };
    return { note: ' It serves no traffic yet: route all traffic to it, or start a rollout.', actions: [RouteAllTraffic, StartRollout] };
  } catch (error) {
    deps.logger.warn(`Could not read the traffic of ${result.service} after creating ${revisionName(result)}: ${error instanceof Error ? error.message : String(error)}`);
    return { note: '', actions: [] };
  }
}

/** Stores a `kind: Service` spec's settings in its service object; no revision is made, no traffic moves. */
async function applyServiceSpec(deps: CommandDeps, uri?: vscode.Uri): Promise<string> {
  const { spec } = await specOf(deps, uri, "apply the service's settings");
  if ((spec as { kind?: unknown }).kind !== 'Service') throw new Error(`Could not apply service settings: this document is a revision spec (kind: Revision). Create it as a revision instead.`);
  const service = spec as unknown as ServiceSpec;
  const namespace = deps.session.namespaceFor(service.namespace);
  const client = deps.session.getClient();
  await client.traffic.applySettings(service.service, loadEngine().settingsOf(service), namespace);
  const message = `Applied the settings of "${service.service}" in namespace "${namespace}" of context "${client.contextName}": ${service.gateway ? `traffic through the Gateway "${service.gateway.name}" (exact weights)` : 'the plain data plane'}${service.rollout ? `; rollouts of ${service.rollout.steps.join(' → ')}` : ''}.`;
  deps.logger.info(message);
  void notify(deps.logger, 'info', message);
  return message;
}

/** What the API server said: `would accept all 5 objects`, `would reject 1 of 5 objects` (with why, when `why`). */
function apiServerVerdict(result: DryRunResult, why: boolean): string {
  const rejected = result.objects.filter((o) => !o.ok);
  if (rejected.length === 0) return `the API server would accept all ${result.objects.length} objects`;
  return `the API server would reject ${rejected.length} of ${result.objects.length} objects${why ? `: ${rejected.map((o) => o.message ?? `${o.kind} "${o.name}"`).join(' ')}` : ''}`;
}

/** The warnings beside the API server's answer: the spec's own (the Problems panel's) and the cluster checks'. */
async function warningsOf(deps: CommandDeps, doc: vscode.TextDocument, spec: RevisionSpec, result: DryRunResult): Promise<string[]> {
  const own = loadEngine().diagnoseParsedSpec(deps.parses.get(doc)).filter((d) => d.severity === 'warning').map((d) => d.message);
  const cluster = (await deps.checks.findings(spec)).map((f) => f.message);
  return [...new Set([...own, ...cluster, ...result.warnings])];
}

/** Says both what the API server would accept and what the checks warn about, never one without the other. */
async function dryRun(deps: CommandDeps, uri?: vscode.Uri): Promise<DryRunResult> {
  const { logger } = deps;
  const { spec, doc } = await specOf(deps, uri, 'dry-run the revision');
  const gpu = Settings.gpuResourceName();
  const result = await deps.session.getClient().dryRun(spec, gpu ? { defaultGpuResourceName: gpu } : {});
  const name = vscode.workspace.asRelativePath(doc.uri);
  const warnings = await warningsOf(deps, doc, spec, result);
  logger.info(`Dry run of ${name} as ${revisionName({ service: spec.service, revision: result.revision })} in namespace "${result.namespace}" of context "${result.context}":`);
  for (const o of result.objects) logger.info(`  ${o.ok ? 'accepted' : 'REJECTED'} ${o.kind} "${o.name}"${o.message ? `: ${o.message}` : ''}`);
  for (const w of warnings) logger.warn(`  warning: ${w}`);
  const warned = warnings.length === 0 ? 'and the checks warn of nothing.' : `but ${warnings.length === 1 ? 'a check warns' : `${warnings.length} checks warn`}: ${warnings[0] ?? ''}`;
  const text = `Dry run of ${name}: ${apiServerVerdict(result, false)}, ${warned}`;
  const details = [`In namespace "${result.namespace}" of context "${result.context}", ${apiServerVerdict(result, true)}.`, ...warnings.map((w) => `Warning: ${w}`)].join('\n\n');
  void notify(logger, result.ok && warnings.length === 0 ? 'info' : 'warning', text, { showLog: true, details });
  return result;
}

/** The objects the spec becomes, in a preview named with the number it would get (`iris-r5.preview.yaml`). */
async function showRenderedObjects(deps: CommandDeps, uri?: vscode.Uri): Promise<vscode.TextDocument> {
  const { spec } = await specOf(deps, uri, 'render the objects');
  const namespace = deps.session.namespaceFor(spec.namespace);
  let next: number | undefined;
  try {
    next = await deps.session.tryClient()?.nextRevisionNumber(spec.service, namespace);
  } catch (error) {
    deps.logger.debug(`Rendered objects without the next number: ${error instanceof Error ? error.message : String(error)}`);
  }
  const engine = loadEngine();
  const content = engine.renderedObjectsYaml(spec, namespace, next, Settings.gpuResourceName());
  const previewUri = vscode.Uri.from({ scheme: 'untitled', path: engine.renderedObjectsName(spec.service, next) });
  const rendered = await vscode.workspace.openTextDocument(previewUri);
  // The same preview opened again: show the objects of now.
  const edit = new vscode.WorkspaceEdit();
  edit.replace(previewUri, new vscode.Range(0, 0, rendered.lineCount, 0), content);
  await vscode.workspace.applyEdit(edit);
  await vscode.languages.setTextDocumentLanguage(rendered, 'yaml');
  await vscode.window.showTextDocument(rendered, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return rendered;
}

export function registerSpecCommands(deps: CommandDeps): void {
  const { logger } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.newSpecFile, async () => {
      const doc = await vscode.workspace.openTextDocument({ language: LanguageId, content: newRevisionSpecTemplate() });
      await vscode.window.showTextDocument(doc);
    }),
    registerCommand(logger, CommandIds.createRevisionFromSpec, (uri?: vscode.Uri) => create(deps, uri, false)),
    registerCommand(logger, CommandIds.createAndLaunchFromSpec, (uri?: vscode.Uri) => create(deps, uri, true)),
    registerCommand(logger, CommandIds.dryRunSpec, (uri?: vscode.Uri) => dryRun(deps, uri), { progressTitle: 'Dry-running the revision on the cluster…' }),
    registerCommand(logger, CommandIds.showRenderedObjects, (uri?: vscode.Uri) => showRenderedObjects(deps, uri)),
    registerCommand(logger, CommandIds.applyServiceSpec, (uri?: vscode.Uri) => applyServiceSpec(deps, uri), { progressTitle: "Applying the service's settings…" }),
  );
}
