// k8sdocs: a table wider than the text column scrolls inside Material's .md-typeset__scrollwrap.
// A keyboard user can only scroll it if it can take focus (WCAG 2.1.1; axe-core rule
// scrollable-region-focusable), so give it tabindex="0" while it overflows, as Material 9.8 already
// does for scrollable code blocks. document$ is Material's page observable (bundle.js).
document$.subscribe(function () {
  var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
  function mark() {
    wraps.forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
});
