/**
 * The `serve-revisions` executable (dist/cli.js). It checks the Node it runs on before anything
 * else is loaded, and is the last resort for failures nobody expected: one line, never a stack
 * trace unless asked for with --debug or SERVE_REVISIONS_DEBUG=1.
 */
import { debugRequested } from '../core/debugRequested';
import { escapeControl } from '../core/escapeText';
import { nodeFloorProblem } from '../core/runtimeFloor';
import type * as RunCliModule from './runCli';

const args = process.argv.slice(2);
const debug = debugRequested(args);
const UnexpectedFailure = 70;

function lastResort(error: unknown): void {
  if (debug) {
    process.stderr.write(`serve-revisions: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  } else {
    const what = escapeControl(error instanceof Error ? error.message : String(error));
    process.stderr.write(`serve-revisions: unexpected failure: ${what}. Run it again with --debug (or SERVE_REVISIONS_DEBUG=1) for the details, and report it if it persists.\n`);
  }
  process.exitCode = UnexpectedFailure;
}

const tooOld = nodeFloorProblem();
if (tooOld) {
  // Before the rest of the CLI is even loaded: on an older Node, dist/kube.js throws while loading.
  process.stderr.write(`serve-revisions: ${tooOld}\n`);
  process.exitCode = 2;
} else {
  process.on('uncaughtException', lastResort);
  try {
    // Loaded only now (esbuild keeps it a lazily initialised part of this bundle).
    const { runCli } = require('./runCli') as typeof RunCliModule;
    runCli(args.filter((a) => a !== '--debug')).then((code) => {
      process.exitCode = code;
    }, lastResort);
  } catch (error) {
    lastResort(error);
  }
}
