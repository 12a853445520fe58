// Helpers of the observe tests: the bundled CLI as a person runs it.
import { spawn } from 'node:child_process';
import { adminKubeconfig } from '../cluster';

/** The bundled CLI, as a person runs it. */
export function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, KUBECONFIG: adminKubeconfig() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

