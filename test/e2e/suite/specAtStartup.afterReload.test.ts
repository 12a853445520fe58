// The second half of the activation test, in the window the runner reloaded with a revision spec
// showing: the extension activated without loading the spec engine (nor the Kubernetes client),
// and the spec's language features still work, the engine loading when they first need it.
// (The activation time itself is measured by `npm run bench`, never asserted.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as driver from './driver';
import { extensionApi } from './tree.fixture';

describe('A revision spec open at startup', function () {
  before(async function () {
    const handed = await driver.afterReload<{ specAtStartup?: boolean }>();
    if (!handed?.specAtStartup) this.skip();
  });

  it('activates the extension without loading the spec engine, which loads when the spec needs it', async () => {
    const doc = await driver.waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/iris.revision.yaml')), { message: 'the spec restored by the reload' });
    assert.equal(doc.languageId, 'revision-yaml');
    const api = await extensionApi();
    assert.deepEqual(api.loadedAtActivation, { engine: false, kube: false });
    // Hover over `image:` answers from the schema: the engine is loaded on first need.
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('image:'));
    assert.ok(line >= 0, 'the spec has an image line');
    const hovers = await driver.waitFor(
      async () => {
        const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 2));
        return found.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).length > 0)) ? found : undefined;
      },
      { message: 'a hover on image: from the extension' },
    );
    assert.ok(hovers.length > 0);
  });
});
