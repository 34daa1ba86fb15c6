// Builds build/detect-harness.wasm (the detector alone, see detect-harness.ts) with plain asc.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function buildHarness({ quiet = false } = {}) {
  mkdirSync('build', { recursive: true });
  // asc always reads ./asconfig.json (WASI targets); point it at an empty config instead
  const dir = mkdtempSync(join(tmpdir(), 'lad-asc-'));
  const cfg = join(dir, 'asconfig.json');
  writeFileSync(cfg, JSON.stringify({ targets: {}, options: {} }));
  execFileSync('npx', ['asc', 'scripts/lib/detect-harness.ts', '--config', cfg, '--outFile', 'build/detect-harness.wasm',
    '--runtime', 'incremental', '-O3', '--noAssert', '--exportRuntime'], { stdio: quiet ? 'pipe' : 'inherit' });
  return 'build/detect-harness.wasm';
}

if (import.meta.url === `file://${process.argv[1]}`) buildHarness();
