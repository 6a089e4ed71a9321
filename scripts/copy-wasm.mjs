// dist/ must carry the .wasm files next to the compiled loaders (they are found via import.meta.url).
import { copyFile, readdir, mkdir } from 'node:fs/promises';
const build = new URL('../build/', import.meta.url);
const dist = new URL('../dist/', import.meta.url);
await mkdir(dist, { recursive: true });
for (const f of await readdir(build)) if (f.startsWith('kernels.') && f.endsWith('.wasm')) await copyFile(new URL(f, build), new URL(f, dist));
