// A dependency-free static file server for dist/, optionally under a sub-path
// (as GitHub Pages serves a project site under /<repo>/).
//
//   node scripts/serve.mjs [--port 8080] [--base /sub/] [--root dist] [--host 127.0.0.1]
//   import { serve } from './serve.mjs'; const { server, url } = await serve({ port: 0 });
//
// With `liveReload: true` (the authoring loop, scripts/start.mjs) it is also the dev server:
// an event stream at <base>__dev/events, and a small script added to every HTML response as
// it is sent (never written into dist/) that reloads the page after a rebuild, keeping its
// scroll position and its URL (the widgets keep their state in the hash), and shows a build
// error over the page. serve() then also returns `live`: { reload(pages), error(message), ok() }.
import http from 'node:http';
import { promises as fs, createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { escapeMarkup as escapeHtml } from '../web/markup.js';

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

export const DEV_EVENTS = '__dev/events';

/**
 * The dev server's script, added before </body> of each HTML response. Its marker
 * (`data-dev-reload`) and the events path are what tests/e2e/dev.test.mjs looks for in dist/.
 */
export function devScript(eventsUrl) {
  const code = `(() => {
  const key = "dev-reload-scroll:" + location.pathname;
  const y = sessionStorage.getItem(key);
  if (y !== null) {
    sessionStorage.removeItem(key);
    history.scrollRestoration = "manual";
    // Back to the same place while the page still lays out (fonts, widgets, skipped sections
    // sized), until the reader scrolls or a moment after load.
    const restore = () => scrollTo(0, Number(y));
    const sizes = new ResizeObserver(restore);
    sizes.observe(document.documentElement);
    const stop = () => { sizes.disconnect(); for (const e of ["wheel", "keydown", "pointerdown", "touchstart"]) removeEventListener(e, stop, true); };
    for (const e of ["wheel", "keydown", "pointerdown", "touchstart"]) addEventListener(e, stop, true);
    addEventListener("load", () => { restore(); setTimeout(stop, 1000); }, { once: true });
    restore();
  }
  const page = decodeURIComponent(location.pathname.split("/").pop()) || "index.html";
  let server = null;
  let box = null;
  const show = (text) => {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-dev-reload", "error");
      box.attachShadow({ mode: "open" }).innerHTML = '<style>pre{position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#fff0f0;color:#700;border:2px solid #c00;border-radius:6px;font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap}</style><pre role="alert"></pre>';
      document.body.append(box);
    }
    box.shadowRoot.querySelector("pre").textContent = "Build failed; the page shows the last good build.\\n\\n" + text;
  };
  const events = new EventSource(${JSON.stringify(eventsUrl)});
  const reload = () => { sessionStorage.setItem(key, String(scrollY)); location.reload(); };
  events.addEventListener("hello", (e) => { if (server !== null && server !== e.data) reload(); server = e.data; });
  events.addEventListener("reload", (e) => { const pages = JSON.parse(e.data); if (pages === "*" || pages.includes(page)) reload(); });
  events.addEventListener("build-error", (e) => show(JSON.parse(e.data)));
  events.addEventListener("build-ok", () => { box?.remove(); box = null; });
})();`;
  return `<script data-dev-reload>${code}</script>`;
}

function injectDevScript(html, script) {
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + script : html.slice(0, at) + script + html.slice(at);
}

export function serve({ root = 'dist', port = 8080, base = '/', host = '127.0.0.1', liveReload = false } = {}) {
  const rootDir = path.resolve(REPO, root);
  const prefix = normaliseBase(base);
  const clients = new Set();
  const hello = String(Date.now());
  let lastError = null;
  const script = liveReload ? devScript(prefix + DEV_EVENTS) : '';
  const emit = (res, event, data) => res.write(`event: ${event}\ndata: ${typeof data === 'string' && event === 'hello' ? data : JSON.stringify(data)}\n\n`);
  const broadcast = (event, data) => { for (const res of clients) emit(res, event, data); };
  const live = liveReload
    ? {
        /** Reloads the open pages among `pages` (file names, or '*' for every page). */
        reload(pages = '*') { broadcast('reload', pages); },
        /** Shows `message` over every open page (and any page opened) until ok(). */
        error(message) { lastError = message; broadcast('build-error', message); },
        ok() { if (lastError !== null) { lastError = null; broadcast('build-ok', ''); } },
        clients: () => clients.size,
      }
    : null;

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      }
      const rawPath = (req.url || '/').split(/[?#]/, 1)[0];
      const query = (req.url || '').slice(rawPath.length);
      if (liveReload && rawPath === prefix + DEV_EVENTS) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
        res.write('retry: 500\n\n');
        emit(res, 'hello', hello);
        if (lastError !== null) emit(res, 'build-error', lastError);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }

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
      const type = MIME[path.extname(target).toLowerCase()] || 'application/octet-stream';
      if (liveReload && (!st || !st.isFile()) && (type.startsWith('text/html') || rawPath.endsWith('/'))) {
        // Not built yet (or not a page): this page reloads itself once a build writes it.
        const page = `<!doctype html><meta charset="utf-8"><title>Not built yet</title><body><p>Nothing at ${escapeHtml(rawPath)} yet: the book is being built, and this page reloads when it is.</p></body>`;
        return send(res, 404, injectDevScript(page, script), { 'Content-Type': 'text/html; charset=utf-8' });
      }
      if (!st || !st.isFile()) return send(res, 404, 'Not Found\n');

      if (liveReload && type.startsWith('text/html')) {
        const body = injectDevScript(await fs.readFile(target, 'utf8'), script);
        return send(res, 200, body, { 'Content-Type': type, 'Last-Modified': st.mtime.toUTCString() });
      }
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

  // The event streams never end by themselves: close() ends them.
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const res of clients) res.end();
    clients.clear();
    return close(callback);
  };
  if (liveReload) {
    const beat = setInterval(() => { for (const res of clients) res.write(': ping\n\n'); }, 15_000);
    beat.unref();
    server.on('close', () => clearInterval(beat));
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      const h = addr.family === 'IPv6' || addr.family === 6 ? `[${addr.address}]` : addr.address;
      resolve({ server, url: `http://${h}:${addr.port}${prefix}`, live });
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
