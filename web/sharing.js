// How a widget is shared: "Copy link to this view" and "Copy embed code", and the settings the
// lab, the race and the playground keep in the address or take from a `settings` attribute
// (url-state.js). Members of every widget: web/widget.js puts them on CalcWidget's prototype,
// so that a widget says `this.linkToView()` and overrides `embedAttributes()`.
import { elementMarkup, embedSnippet } from "./widget-menu.js";
import { asHash, bindToUrl, boundToUrl, linkTo, linkedAttributes } from "./url-state.js";

export class Sharing {
  /**
   * The key of this widget's settings in a link: its id, else its tag and, after the first of
   * its kind on the page, its place (`derivative`, `derivative-2`).
   */
  get linkKey() {
    if (this.ownId) return this.id;
    const same = [...document.querySelectorAll(this.localName)];
    const i = same.indexOf(this);
    const base = this.localName.replace(/^calc-/, "");
    return i > 0 ? `${base}-${i + 1}` : base;
  }

  /** Its id, when no element before it on the page has the same one (a snippet pasted twice). */
  get ownId() {
    return this.id && document.getElementById(this.id) === this ? this.id : null;
  }

  /** The attributes a link may set: the observed ones, but the theme (the reader's own). */
  get linkableAttributes() {
    return (this.constructor.observedAttributes ?? []).filter((n) => n !== "theme");
  }

  /**
   * A widget that keeps no settings in the address itself takes a link's from its attributes
   * as it starts (`#derivative.x=1.5`), as if the page had written them; the widget checks
   * and reports them as it does the page's.
   */
  applyLinkedAttributes() {
    if (this.constructor.ownUrlState) return; // it reads its link itself (bindToUrl)
    for (const [name, value] of Object.entries(linkedAttributes(this.linkKey, this.linkableAttributes))) {
      if (value === null) this.removeAttribute(name);
      else this.setAttribute(name, value);
    }
  }

  /**
   * "Copy link to this view": this page's address with this widget's settings. The lab, the
   * race and the playground give their own settings (what the address keeps for them when
   * they have an id); any other widget its attributes now; one that follows a lab, the lab's
   * link with its own settings added.
   */
  linkToView() {
    let url;
    const key = this.linkKey;
    if (this.constructor.ownUrlState && boundToUrl(key)) {
      url = new URL(linkTo(key));
    } else {
      const settings = {};
      const attributes = this.embedAttributes();
      for (const name of this.linkableAttributes) {
        const v = attributes[name];
        if (v === undefined || v === null) continue;
        settings[name] = v === true ? "" : v === false ? "off" : v;
      }
      url = new URL(linkTo(key, settings));
    }
    if (this.lab?.linkToView) {
      const lab = new URL(this.lab.linkToView());
      const own = url.hash.slice(1);
      lab.hash = own ? `${lab.hash.slice(1)}&${own}` : lab.hash.slice(1);
      url = lab;
    }
    // The widget it opens at, where no setting of its own names it (a follower's link holds
    // its lab's; an unchanged widget's, nothing).
    const params = new URLSearchParams(url.hash.slice(1));
    if (![...params.keys()].at(-1)?.startsWith(`${key}.`)) {
      params.delete("view");
      params.set("view", key);
      url.hash = asHash(params);
    }
    return url.href;
  }

  /**
   * The lab, the race and the playground (`ownUrlState`) keep their own settings: `settings()`
   * gives them as `{name: value}`, `applySettings(map)` takes them. They are given first by
   * the element's `settings` attribute (the pairs a link carries, "lr=0.1&n=30"), then by
   * the link, which wins; with an id, the address keeps them as they change.
   */
  bindSettings() {
    // The same snippet pasted twice: the second would write its settings over the first's.
    if (this.id && !this.ownId) {
      this.attributeError("id", `id="${this.id}" is also an element's before this one: this one's settings are not kept in the page's address. Give each its own id.`);
    }
    this.notifyUrl = bindToUrl(
      this.ownId,
      { read: () => this.settings(), apply: (s) => this.applySettings(s), own: () => this.getAttribute("settings") },
      { key: this.linkKey },
    );
  }

  /**
   * The `settings` attribute for "Copy embed code": the widget's settings that its other
   * attributes (the settings named `covered`) do not give, and that differ from `start`, where
   * those attributes alone put it; written as a link writes them.
   */
  settingsBeyond(covered, start = {}) {
    const rest = Object.entries(this.settings()).filter(([name, v]) => !covered.includes(name) && String(v) !== String(start[name]));
    return rest.length ? asHash(rest.map(([k, v]) => [k, String(v)])) : undefined;
  }

  /**
   * The attributes that reproduce what the widget shows now, `{ name: value }` (`true` for a
   * bare attribute): each widget lists its own.
   */
  embedAttributes() {
    return {};
  }

  /**
   * The element as markup, with its id, its current state and the theme it was given. Not its
   * `loading`: that is where it sits on this page (the book marks its first screen's widgets
   * eager), and the page it is pasted into decides its own.
   */
  embedMarkup() {
    const theme = this.getAttribute("theme");
    return elementMarkup(this.localName, {
      id: this.id || undefined,
      ...this.embedAttributes(),
      theme: theme ?? undefined,
      compact: this.hasAttribute("compact"),
    });
  }

  /**
   * The snippet that embeds this widget, as it is now, in any page: the widgets' script and
   * the element (after the lab it follows, for a widget that follows one).
   */
  embedCode() {
    const lab = this.lab?.embedMarkup ? `${this.lab.embedMarkup()}\n` : "";
    return embedSnippet(`${lab}${this.embedMarkup()}`);
  }

  /** What a link or the embed code of this view leaves out, in a sentence; null when nothing. */
  copyCaveat() {
    return null;
  }
}
