// The lint step of `npm test` (and `npm run lint`): type-aware checks that catch what the
// compiler does not (promises nobody awaits, unused code), size limits that keep rooms from
// filling up again, and the layer rules of ARCHITECTURE.md. Import cycles are checked apart by
// dpdm (the next step of `npm test`), which also counts type-only imports; import-x/no-cycle skips those.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'worker_threads', 'zlib'];
const noNode = { group: ['node:*'], message: 'This layer does no I/O: take what you need as a parameter.' };
const noVscode = { name: 'vscode', message: 'Only src/extension talks to VS Code.' };
const builtinPaths = (message) => nodeBuiltins.map((name) => ({ name, message }));

/** A folder may not import from these folders (resolved paths, so `../kube` from src/core/kube is not src/kube). */
function zone(target, from, message) {
  return { target: `./src/${target}`, from: from.map((f) => `./src/${f}`), message };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.test-artifacts/**', 'src/generated/**'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-require-imports': 'off',
      'no-unused-private-class-members': 'error',
      'no-unreachable': 'error',
      // Control characters are matched on purpose: text from files and the cluster is escaped (src/core/escapeText.ts).
      'no-control-regex': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Tests dig into arbitrary Kubernetes JSON and YAML documents.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Size limits for the product code: a file or a function past them does too many things.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    // The arrows of ARCHITECTURE.md, on resolved paths.
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('shared', ['core', 'kube', 'engine', 'bundles', 'extension', 'cli', 'webview'], 'src/shared is the protocol both ends import; it imports nothing of ours.'),
            zone('core', ['kube', 'engine', 'bundles', 'extension', 'cli', 'webview'], 'src/core is pure and points down only: pass what it needs in.'),
            zone('kube', ['engine', 'bundles', 'extension', 'cli', 'webview'], 'src/kube is the Kubernetes bundle: it knows core, nothing above.'),
            zone('engine', ['kube', 'bundles', 'extension', 'cli', 'webview'], 'src/engine is the spec engine bundle: it knows core, nothing above.'),
            zone('bundles', ['extension', 'cli', 'webview'], 'src/bundles only loads the kube and engine bundles.'),
            zone('extension', ['kube', 'engine', 'cli', 'webview'], 'Reach the kube and engine bundles through src/bundles (loadKube, loadEngine and their types), so they stay lazily loaded.'),
            zone('cli', ['kube', 'engine', 'extension', 'webview'], 'Reach the kube bundle through src/bundles/loadKube.'),
            zone('webview', ['kube', 'engine', 'bundles', 'extension', 'cli'], 'The webview app knows core and the shared protocol only.'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscode, { name: '@kubernetes/client-node', allowTypeImports: true, message: 'src/core uses the Kubernetes object types only; calls go in src/kube.' }, ...builtinPaths('src/core does no I/O.')],
          patterns: [noNode],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts', 'src/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode, { name: '@kubernetes/client-node', message: 'Not in a webview.' }, ...builtinPaths('Not in a webview.')], patterns: [noNode] }],
    },
  },
  {
    // The shared protocol runs on both ends, so it may not lean on the DOM either.
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'HTMLElement', 'acquireVsCodeApi'] },
  },
  {
    files: ['src/kube/**/*.ts', 'src/engine/**/*.ts', 'src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    // The loaders hand out the bundles' types; a value import would pull a whole bundle in.
    files: ['src/bundles/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [noVscode], patterns: [{ group: ['../kube/*', '../engine/*'], allowTypeImports: true, message: 'Type imports only: the bundle is loaded at run time.' }] },
      ],
    },
  },
);
