// Changes the address without a page load; main.js renders the view for it.
let render = () => {};

export function onNavigate(fn) {
  render = fn;
}

export function navigate(href, { replaceState = false } = {}) {
  if (replaceState) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  render();
}
