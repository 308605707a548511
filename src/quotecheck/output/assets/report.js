// quotecheck report: tooltips for quote marks (hover and keyboard focus) and the speaker filter.
// Copies nodes that are already on the page; never builds HTML from strings.
(function () {
  "use strict";
  var tip = document.getElementById("qc-tip");
  var article = document.querySelector(".article");
  var shown = null;

  function markOf(node) {
    return node && node.closest ? node.closest("mark.q") : null;
  }
  function hide() {
    if (shown) { shown.classList.remove("active"); }
    shown = null;
    if (tip) { tip.hidden = true; tip.textContent = ""; }
  }
  function show(mark) {
    if (!tip || !mark) { return; }
    var details = document.getElementById("qd-" + mark.getAttribute("data-qi"));
    if (!details) { return; }
    if (shown) { shown.classList.remove("active"); }
    tip.textContent = "";
    var title = document.createElement("div");
    title.className = "tip-title";
    title.textContent = mark.getAttribute("data-label") + " \u2014 " + (mark.getAttribute("data-speaker") || "no speaker");
    tip.appendChild(title);
    tip.appendChild(details.cloneNode(true)).removeAttribute("id");
    tip.hidden = false;
    var box = mark.getBoundingClientRect();
    var top = window.scrollY + box.bottom + 6;
    var left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
    mark.classList.add("active");
    shown = mark;
  }
  document.addEventListener("mouseover", function (e) { var m = markOf(e.target); if (m) { show(m); } });
  document.addEventListener("mouseout", function (e) {
    var m = markOf(e.target);
    if (m && m === shown && !m.contains(e.relatedTarget) && document.activeElement !== m) { hide(); }
  });
  document.addEventListener("focusin", function (e) { var m = markOf(e.target); if (m) { show(m); } else { hide(); } });
  document.addEventListener("focusout", function (e) { if (markOf(e.target) === shown) { hide(); } });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });

  // the speaker panel: pressing a speaker keeps only their quotes in colour
  var buttons = document.querySelectorAll("button[data-speaker-class]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      Array.prototype.forEach.call(buttons, function (b) { b.setAttribute("aria-pressed", "false"); });
      Array.prototype.forEach.call(document.querySelectorAll("mark.q.chosen"), function (m) { m.classList.remove("chosen"); });
      if (article) { article.classList.toggle("dimmed", on); }
      if (!on) { return; }
      button.setAttribute("aria-pressed", "true");
      var cls = button.getAttribute("data-speaker-class");
      Array.prototype.forEach.call(document.querySelectorAll("mark.q." + cls), function (m) { m.classList.add("chosen"); });
    });
  });
})();
