// A dependency-free static file server for dist/, optionally under a sub-path
// (as GitHub Pages serves a project site under /<repo>/).
//
//   node scripts/serve.mjs [--port 8080] [--base /sub/] [--root dist] [--host 127.0.0.1]
//   import { serve } from './serve.mjs'; const { server, url } = await serve({ port: 0 });
import http from 'node:http';
import { promises as fs, createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

function normaliseBase(base) {
  let b = String(base || '/').trim();
  if (!b.startsWith('/')) b = '/' + b;
  if (!b.endsWith('/')) b += '/';
  return b.replace(/\/{2,}/g, '/');
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

async function statOrNull(p) {
  try { return await fs.stat(p); } catch { return null; }
}

export function serve({ root = 'dist', port = 8080, base = '/', host = '127.0.0.1' } = {}) {
  const rootDir = path.resolve(REPO, root);
  const prefix = normaliseBase(base);

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      }
      const rawPath = (req.url || '/').split(/[?#]/, 1)[0];
      const query = (req.url || '').slice(rawPath.length);

      // The base without its trailing slash redirects to the base.
      if (prefix !== '/' && rawPath === prefix.slice(0, -1)) {
        return send(res, 301, `Moved to ${prefix}\n`, { Location: prefix + query });
      }
      if (!rawPath.startsWith(prefix)) return send(res, 404, 'Not Found\n');

      let rel;
      try { rel = decodeURIComponent(rawPath.slice(prefix.length)); } catch { return send(res, 400, 'Bad Request\n'); }
      if (rel.includes('\0') || rel.includes('\\')) return send(res, 400, 'Bad Request\n');

      const filePath = path.resolve(rootDir, '.' + path.posix.normalize('/' + rel));
      if (filePath !== rootDir && !filePath.startsWith(rootDir + path.sep)) return send(res, 403, 'Forbidden\n');
      // Refuse any path segment that tries to climb, even if normalisation absorbed it.
      if (rel.split('/').includes('..')) return send(res, 403, 'Forbidden\n');

      let target = filePath;
      let st = await statOrNull(target);
      if (st && st.isDirectory()) {
        if (!rawPath.endsWith('/')) {
          // Rebuilt from the normalised path, so '//host' can never become an off-site redirect.
          const clean = path.posix.normalize('/' + rel).replace(/^\/+/, '');
          const location = encodeURI(prefix + clean + '/') + query;
          return send(res, 301, `Moved to ${location}\n`, { Location: location });
        }
        target = path.join(target, 'index.html');
        st = await statOrNull(target);
      }
      if (!st || !st.isFile()) return send(res, 404, 'Not Found\n');

      const type = MIME[path.extname(target).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
        'Last-Modified': st.mtime.toUTCString(),
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      const stream = createReadStream(target);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, 'Internal Server Error\n');
      else res.destroy();
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      const h = addr.family === 'IPv6' || addr.family === 6 ? `[${addr.address}]` : addr.address;
      resolve({ server, url: `http://${h}:${addr.port}${prefix}` });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    if (i >= 0 && args[i + 1] !== undefined) return args[i + 1];
    const eq = args.find((a) => a.startsWith(name + '='));
    return eq ? eq.slice(name.length + 1) : fallback;
  };
  const port = Number(opt('--port', process.env.PORT ?? 8080));
  serve({ root: opt('--root', 'dist'), port, base: opt('--base', '/'), host: opt('--host', '127.0.0.1') }).then(
    ({ url }) => console.log(`Serving ${opt('--root', 'dist')} at ${url}`),
    (err) => { console.error(`serve: ${err.message}`); process.exitCode = 1; },
  );
}
