// Elements that follow a <calc-descent> on the same page name it with for="its id": the loss
// curve, the learning-rate sweep and the live numbers in the prose.

/** The <calc-descent> that `element`'s `for` attribute names, once it has drawn. */
export async function linkedLab(element) {
  const id = element.getAttribute("for");
  const lab = id ? document.getElementById(id) : null;
  if (!lab || lab.localName !== "calc-descent") {
    throw new Error(`for="${id ?? ""}" should name a <calc-descent> on this page, and none has that id`);
  }
  await customElements.whenDefined("calc-descent");
  await lab.ready;
  return lab;
}
