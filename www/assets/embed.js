// The "Embed a widget" page: each snippet's script URL made absolute from the address the page
// is served at (a copy then works in any post), and a button to copy it.
const script = new URL("../web/calc-widgets.js", import.meta.url).href;

for (const code of document.querySelectorAll("code[data-embed-snippet]")) {
  code.textContent = code.textContent.replace('src="web/calc-widgets.js"', `src="${script}"`);
  const button = code.closest(".embed-snippet")?.querySelector("button.embed-copy");
  if (!button || !navigator.clipboard) continue;
  const label = button.innerHTML;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Could not copy: select the code and copy it";
    }
    setTimeout(() => (button.innerHTML = label), 2000);
  });
}
