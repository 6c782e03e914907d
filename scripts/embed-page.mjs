// The "Embed a widget" page's sections, one per element of web/embed-catalog.js: a live
// example, its attributes (what each accepts, its default) and the snippet that embeds it.
// The snippet's script URL is written relative here and made absolute in the page by
// www/assets/embed.js, from the address the page is served at, so a copy works as pasted.
import path from 'node:path';
import { escapeMarkup as escapeHtml } from '../web/markup.js';
import { elementMarkup, embedSnippet } from '../web/widget-menu.js';

export const WIDGETS_SCRIPT = 'web/calc-widgets.js';

/** web/embed-catalog.js with its `../pkg/book.js` taken from `pkgDir`, as a Node module. */
export async function loadCatalog(repo, pkgDir) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(repo, 'web', 'embed-catalog.js')],
    bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent',
    plugins: [{
      name: 'book-facts',
      setup(b) {
        b.onResolve({ filter: /^\.\.\/pkg\/book\.js$/ }, () => ({ path: path.join(pkgDir, 'book.js') }));
      },
    }],
  });
  const code = result.outputFiles[0].text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).CATALOG;
}

/** An entry's example markup: linked elements with their lab; live numbers inside a sentence. */
function exampleMarkup(entry) {
  const parts = [];
  if (entry.lab) parts.push(elementMarkup(entry.lab.tag, entry.lab.attrs));
  if (entry.tag === 'calc-number' || entry.tag === 'calc-value') {
    const what = entry.tag === 'calc-number' ? 'The learning rate is' : 'After the last step the loss is';
    parts.push(`<p>${what} ${elementMarkup(entry.tag, entry.example, '…')}.</p>`);
  } else {
    parts.push(elementMarkup(entry.tag, entry.example));
  }
  return parts.join('\n');
}

function section(entry, chapters) {
  const ch = chapters.find((c) => c.slug === entry.chapter);
  const id = `embed-${entry.tag}`;
  const markup = exampleMarkup(entry);
  const rows = entry.attributes.map((a) => `<tr><th scope="row"><code>${escapeHtml(a.name)}</code></th><td>${escapeHtml(a.accepts)}</td><td>${escapeHtml(a.default)}</td><td>${escapeHtml(a.meaning)}</td></tr>`);
  return `<section class="embed-entry" aria-labelledby="${id}">
<h2 id="${id}"><code>&lt;${entry.tag}&gt;</code> ${escapeHtml(entry.title)}</h2>
<p>${escapeHtml(entry.about)}${ch ? ` From <a href="${ch.href}">chapter ${escapeHtml(ch.number)}, ${escapeHtml(ch.title)}</a>.` : ''}</p>
<div class="embed-example">
${markup}
</div>
<div class="embed-table">
<table class="embed-attributes">
<caption>Attributes of <code>${entry.tag}</code></caption>
<thead><tr><th scope="col">attribute</th><th scope="col">accepts</th><th scope="col">default</th><th scope="col">what it sets</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
${entry.urlKeys ? `<p class="embed-url-keys">With an <code>id</code>, its settings are kept in the page's address as <code>#&lt;id&gt;.&lt;key&gt;=…</code>; its <code>settings</code> attribute takes the same keys, as <code>&lt;key&gt;=…&amp;&lt;key&gt;=…</code>. The keys: ${escapeHtml(entry.urlKeys)}.</p>\n` : ''}<div class="embed-snippet">
<pre><code data-embed-snippet>${escapeHtml(embedSnippet(markup, WIDGETS_SCRIPT))}</code></pre>
<button type="button" class="embed-copy" hidden>Copy the code of <code>${entry.tag}</code></button>
</div>
</section>`;
}

/** Every entry's section, and a list of links to them. */
export async function embedSectionsHtml({ repo, pkgDir, chapters }) {
  const catalog = await loadCatalog(repo, pkgDir);
  const list = catalog.map((e) => `<li><a href="#embed-${e.tag}"><code>&lt;${e.tag}&gt;</code></a> ${escapeHtml(e.title)}</li>`);
  return `<ul class="embed-list">\n${list.join('\n')}\n</ul>\n${catalog.map((e) => section(e, chapters)).join('\n')}`;
}
