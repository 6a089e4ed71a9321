#!/usr/bin/env node
// Static server for the playground and the browser tests. It listens on 127.0.0.1 only, sends
// application/wasm (needed for streaming compilation), and by default adds the COOP/COEP headers
// that make pages cross-origin isolated (SharedArrayBuffer, which threads need).
//   node scripts/serve.mjs [--port 8080] [--no-isolation]
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** The file under `dir` that `rel` names, or null when it would escape `dir`. */
function inside(dir, rel) {
  const file = resolve(dir, `.${sep}${rel}`);
  return file === dir || file.startsWith(dir + sep) ? file : null;
}

/**
 * Serves `mounts` (URL prefix ending in '/' → directory; the longest matching prefix wins).
 * `isolate`: send COOP same-origin + COEP require-corp. Resolves to { url, close() }.
 */
export async function serve({ mounts, isolate = true, port = 0, host = '127.0.0.1' }) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const common = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (isolate) Object.assign(common, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });

  const server = createServer(async (req, res) => {
    const fail = (status, text) => {
      res.writeHead(status, { ...common, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return fail(400, 'bad request');
    }
    const mount = table.find(([prefix]) => path.startsWith(prefix));
    let file = mount && inside(mount[1], path.slice(mount[0].length));
    if (!file) return fail(404, 'not found');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      res.writeHead(200, {
        ...common,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      fail(404, 'not found');
    }
  });
  await new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(port, host, ok);
  });
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}/`,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--port');
  const port = at >= 0 ? Number(args[at + 1]) : 8080;
  const isolate = !args.includes('--no-isolation');
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (!existsSync(join(root, 'dist', 'index.browser.js'))) {
    console.error('dist/index.browser.js is missing: run npm run build first');
    process.exit(1);
  }
  try {
    const { url } = await serve({ mounts: { '/': join(root, 'playground'), '/dist/': join(root, 'dist') }, isolate, port });
    console.log(`infodiv playground: ${url} (${isolate ? 'cross-origin isolated' : 'not isolated'}; Ctrl+C to stop)`);
  } catch (e) {
    console.error(e.code === 'EADDRINUSE' ? `port ${port} is in use: try --port 0 (any free port)` : e.message);
    process.exit(1);
  }
}
