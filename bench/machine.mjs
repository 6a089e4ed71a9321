// What the benchmark ran on: CPU, cores, OS, Node/V8, the peers' package versions.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Installed version of a dependency, read from its package.json. */
export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    // ESM-only packages with an exports map may not expose package.json to require.resolve.
    const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'not installed';
  }
}

function cpuinfo(field) {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith(field));
    return line ? line.split(':')[1].trim() : null;
  } catch {
    return null;
  }
}

function osName() {
  try {
    const line = readFileSync('/etc/os-release', 'utf8').split('\n').find((l) => l.startsWith('PRETTY_NAME='));
    return `${line.slice(13).replace(/"/g, '')}, kernel ${release()}`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

export function machineInfo() {
  const family = cpuinfo('cpu family'), model = cpuinfo('model\t');
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: `${cpus()[0]?.model ?? 'unknown'}${family ? ` (family ${family} model ${model})` : ''}`,
    cores: cpus().length,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    os: osName(),
    node: `${process.version} (V8 ${process.versions.v8})`,
    packages: ['infodiv', 'benchmark', 'ml-distance', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', 'assemblyscript']
      .map((n) => `${n} ${n === 'infodiv' ? JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version : packageVersion(n)}`),
  };
}
