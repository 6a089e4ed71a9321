// Compiles the AssemblyScript kernels into every target of asconfig.json, in one process.
// shrinkLevel stays 0: at >= 1 AssemblyScript swaps its Math.log implementation and results move by ulps.
import asc from 'assemblyscript/asc';
import { mkdir } from 'node:fs/promises';

const targets = ['simd', 'scalar', 'shared', 'shared-scalar'];
await mkdir(new URL('../build/', import.meta.url), { recursive: true });
const started = Date.now();
for (const target of targets) {
  const { error, stderr } = await asc.main(['--config', 'asconfig.json', '--target', target], {});
  if (error) {
    console.error(stderr.toString());
    console.error(`wasm build failed for target ${target}: ${error.message}`);
    process.exit(1);
  }
}
// Test-only module: exposes the vector log so its accuracy can be measured element by element.
{
  const { error, stderr } = await asc.main([
    'assembly/probe.ts', '--config', 'asconfig.json', '--target', 'simd', '--outFile', 'build/probe.wasm',
  ], {});
  if (error) {
    console.error(stderr.toString());
    process.exit(1);
  }
}
console.log(`wasm: built ${targets.length + 1} modules in ${Date.now() - started} ms`);
