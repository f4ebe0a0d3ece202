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

// Light/dark toggle: the form of overrides/partials/palette.html (Material's, renamed so that Material's own palette
// component does not mount it). It behaves as Material 9.8's (components/palette): the toggle shows the label of
// the current entry, a click or Enter moves to the next one, "(prefers-color-scheme)" follows the system, and the
// choice is kept under Material's "__palette" key, which Material's inline script in <body> reapplies on the next
// page before it is drawn. Unlike Material's, it writes the <body> attributes and <meta name="color-scheme"> (set
// before <body> by overrides/main.html) only when they change, and adds <meta name="theme-color"> once the page has
// loaded: Material's restyled every element of the page four times while it loaded (issue 10, item 7).
(function () {
  var form = document.querySelector("form[data-k8s-palette]");
  if (!form || typeof __md_get !== "function") return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.md-option"));
  if (!inputs.length) return;
  var KEYS = ["media", "scheme", "primary", "accent"];
  var light = matchMedia("(prefers-color-scheme: light)");
  var metas = null;
  var current = 0;

  function colorOf(input) {
    var color = {};
    KEYS.forEach(function (key) { color[key] = input.getAttribute("data-md-color-" + key); });
    return color;
  }

  function updateMetas() {  // as Material: the header's colour scheme and background colour
    var header = document.querySelector("[data-md-component=header]") || document.body;
    var style = getComputedStyle(header);  // read before any write: one style update at most
    var rgb = (style.backgroundColor.match(/\d+/g) || []).slice(0, 3);
    var theme = "#" + rgb.map(function (v) { return (+v).toString(16).padStart(2, "0"); }).join("");
    var scheme = style.colorScheme;
    if (!metas) {
      metas = { theme: document.createElement("meta"), scheme: document.querySelector("meta[name=color-scheme]") };
      metas.theme.name = "theme-color";
      document.head.appendChild(metas.theme);
      if (!metas.scheme) {  // overrides/main.html writes it before <body>
        metas.scheme = document.createElement("meta");
        metas.scheme.name = "color-scheme";
        document.head.appendChild(metas.scheme);
      }
    }
    metas.theme.content = theme;
    if (scheme && metas.scheme.content !== scheme) metas.scheme.content = scheme;  // a restyle of the whole page
  }

  function apply(index, userChange) {
    current = index;
    var color = colorOf(inputs[index]);
    if (color.media === "(prefers-color-scheme)") {  // the system's choice, keeping the "auto" media
      var system = document.querySelector(light.matches
        ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']");
      if (system) {
        ["scheme", "primary", "accent"].forEach(function (key) {
          color[key] = system.getAttribute("data-md-color-" + key);
        });
      }
    }
    var body = document.body;
    var changed = KEYS.filter(function (key) { return body.getAttribute("data-md-color-" + key) !== color[key]; });
    if (changed.length) {
      if (userChange) body.setAttribute("data-md-color-switching", "");  // no colour transitions meanwhile
      changed.forEach(function (key) { body.setAttribute("data-md-color-" + key, color[key]); });
      if (userChange) setTimeout(function () { body.removeAttribute("data-md-color-switching"); });
    }
    inputs.forEach(function (input, i) {
      var label = input.nextElementSibling;
      if (label instanceof HTMLLabelElement && label.hidden !== (i !== index)) label.hidden = i !== index;
    });
    __md_set("__palette", { index: index, color: color });
    if (metas && changed.length) updateMetas();
  }

  var stored = __md_get("__palette");
  var start = stored && typeof stored.index === "number" ? stored.index : inputs.findIndex(function (input) {
    return matchMedia(input.getAttribute("data-md-color-media")).matches;
  });
  apply(Math.max(0, Math.min(start, inputs.length - 1)), false);

  inputs.forEach(function (input, i) {
    input.addEventListener("change", function () { apply(i, true); });
  });
  form.addEventListener("keydown", function (ev) {  // Enter on the toggle, as Space already does
    if (ev.key !== "Enter") return;
    var next = inputs[(current + 1) % inputs.length];
    next.click();
    next.focus();
  });
  light.addEventListener("change", function () { apply(current, true); });
  var later = window.requestIdleCallback || function (fn) { setTimeout(fn, 1); };
  if (document.readyState === "complete") later(updateMetas);
  else window.addEventListener("load", function () { later(updateMetas); });
})();
