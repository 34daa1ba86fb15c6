// Builds build/detect-harness.wasm (the lad module plus the detector's truth entries, see
// detect-harness.ts) with the module's own release options (asconfig.json).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export function buildHarness({ quiet = false } = {}) {
  mkdirSync('build', { recursive: true });
  execFileSync('npx', ['asc', 'scripts/lib/detect-harness.ts', '--target', 'release', '--outFile', 'build/detect-harness.wasm',
    '--textFile', 'build/detect-harness.wat'], { stdio: quiet ? 'pipe' : 'inherit' });
  return 'build/detect-harness.wasm';
}

if (import.meta.url === `file://${process.argv[1]}`) buildHarness();
