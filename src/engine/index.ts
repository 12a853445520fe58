/**
 * Entry of the spec engine bundle (dist/engine.js): YAML parsing, the compiled schema validator,
 * semantic checks and the language/form logic over them. The extension loads it on first use
 * (src/bundles/loadEngine.ts) so that activating for the tree alone does not pay for `yaml` and the
 * validator. Pure code: no `vscode`.
 */
export { stringify as stringifyYaml } from 'yaml';
export { diagnoseParsedSpec, findingToDiagnostic, parseSpecText } from '../core/spec/specDocument';
export { findSpecProblems } from '../core/spec/validateSpec';
export { clusterDiagnostics, clusterFindings, preventsRunning, referencedNames } from '../core/language/clusterChecks';
export { completeSpec } from '../core/language/completion';
export { hoverSpec } from '../core/language/hover';
export { quickFixesFor } from '../core/language/quickFixes';
export { codeLensLine, declaresRevisionSpec, renderedObjectsName, renderedObjectsYaml, specValue } from '../core/language/specActions';
export { guardFormMessage, parseSavedOrigin } from '../core/form/formMessages';
export { comparableSpecText } from '../core/traffic/compareSpecs';
export { serviceSpecOf, settingsOf } from '../core/spec/serviceSpec';
export { declaredKind } from '../core/language/specDeclaration';
