// Text put into markup: by the widgets' templates and the embed code they copy, and by the
// build's pages (scripts/). Quotes in attributes are always double, so ' stays as it is.

/** `text` safe in markup: as text, or inside a double-quoted attribute. */
export const escapeMarkup = (text) =>
  String(text).replace(/[&"<>]/g, (c) => ({ "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" })[c]);
