// k8sdocs: a table wider than the text column scrolls inside Material's .md-typeset__scrollwrap.
// A keyboard user can only scroll it if it can take focus (WCAG 2.1.1; axe-core rule
// scrollable-region-focusable), so give it tabindex="0" while it overflows, as Material 9.8 already
// does for scrollable code blocks. document$ is Material's page observable (bundle.js).
// The widths are read in a ResizeObserver callback, which runs after the browser's own layout: reading
// scrollWidth straight away forced a layout of the whole page while it loads (a 100-400 ms task on a
// phone, Lighthouse mobile; issue 10, item 7). The observer also fires when the window or a table resizes.
document$.subscribe(function () {
  var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
  if (!wraps.length) return;
  var observer = new ResizeObserver(function () {
    var overflowing = [];
    wraps.forEach(function (wrap) {  // every read first, then every write: one layout at most
      overflowing.push(wrap.scrollWidth > wrap.clientWidth);
    });
    wraps.forEach(function (wrap, i) {
      if (overflowing[i]) {
        wrap.setAttribute("tabindex", "0");
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  });
  wraps.forEach(function (wrap) {
    observer.observe(wrap);
    if (wrap.firstElementChild) observer.observe(wrap.firstElementChild);
  });
});
