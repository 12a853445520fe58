/** New Revision… and Reproduce Revision…, both in the form: from a tree node, or the palette with a pick. */
import type * as vscode from 'vscode';
import { formTargetOf, type FormTarget } from '../../core/form/formTarget';
import { registerCommand } from '../common/registerCommand';
import { CommandIds } from '../ids';
import { revisionName } from '../tree/revisionPresentation';
import type { CommandDeps } from './commandDeps';

/** Blank, or a service to prefill from; a service list that cannot be read still offers the blank form. */
async function pickService({ session, ui, logger }: CommandDeps): Promise<FormTarget | undefined> {
  let names: string[] = [];
  try {
    names = (await session.getClient().listServices()).map((s) => s.name);
  } catch (error) {
    logger.warn(`Revision form: could not list services, offering a blank form: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Nothing to prefill from (an empty namespace, no cluster): no question to ask.
  if (names.length === 0) return undefined;
  const blank: vscode.QuickPickItem = { label: 'Blank form', description: 'a new service or a revision from scratch' };
  const items: vscode.QuickPickItem[] = [blank, ...names.map((name) => ({ label: name, description: 'prefilled from its latest revision' }))];
  const picked = await ui.pick(items, { title: 'New revision', placeHolder: 'Start from a blank form or from a service' });
  return picked === blank ? undefined : { service: picked.label };
}

async function pickRevision({ session, ui }: CommandDeps): Promise<FormTarget> {
  const services = await session.getClient().listServices();
  const items = services.flatMap((s) => s.revisions.map((r) => ({ label: revisionName(r), description: r.message, target: { service: s.name, revision: r.revision, namespace: s.namespace } })));
  if (items.length === 0) throw new Error(`Could not reproduce a revision: namespace "${session.getClient().namespace}" has no revisions. Create one with "New Revision…".`);
  return (await ui.pick(items, { title: 'Reproduce a revision', placeHolder: 'Revision to copy into the form' })).target;
}

export function registerFormCommands(deps: CommandDeps): void {
  const { logger, forms } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.openForm, async (arg?: unknown) => {
      const target = arg === undefined ? await pickService(deps) : formTargetOf(arg);
      if (target?.service) await forms.openForService(target);
      else forms.openBlank();
    }),
    registerCommand(logger, CommandIds.reproduceInForm, async (arg?: unknown) => {
      const fromArg = formTargetOf(arg);
      const target = fromArg.service && fromArg.revision ? fromArg : await pickRevision(deps);
      await forms.openReproduction({ service: target.service ?? '', revision: target.revision ?? 0, ...(target.namespace ? { namespace: target.namespace } : {}) });
    }),
  );
}
