// Elements that follow a <calc-descent> on the same page name it with for="its id": the loss
// curve, the learning-rate sweep and the live numbers in the prose.

/**
 * The <calc-descent> that `element`'s `for` attribute names, once it has drawn. With `start`
 * (a chart that follows it, itself started because the reader is near), a lab further off is
 * started now: lazy, it would wait for the reader to scroll to it (one who opens the page at
 * the follower's figure), and the follower would stay blank. The live numbers in the prose
 * wait instead, showing the numbers they were written with.
 */
export async function linkedLab(element, { start = false } = {}) {
  const id = element.getAttribute("for");
  const lab = id ? document.getElementById(id) : null;
  if (!lab || lab.localName !== "calc-descent") {
    throw new Error(`for="${id ?? ""}" should name a <calc-descent> on this page, and none has that id`);
  }
  // In a post the lab's code may not be fetched yet: the registry fetches an eager element's.
  if (start && !customElements.get("calc-descent")) lab.setAttribute("loading", "eager");
  await customElements.whenDefined("calc-descent");
  if (start) lab.startNow();
  await lab.ready;
  return lab;
}
