// awesome-harvester catalogue site: search, filters and sorting over the entries in the page.
// Without this script every entry is still in the page; it only hides and reorders them.
(function () {
  "use strict";
  var form = document.getElementById("controls");
  if (!form) { return; }
  var q = document.getElementById("q");
  var section = document.getElementById("f-section");
  var status = document.getElementById("f-status");
  var year = document.getElementById("f-year");
  var sort = document.getElementById("sort");
  var count = document.getElementById("count");
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  var items = [];
  groups.forEach(function (group) {
    var list = group.querySelector("ol.entries");
    Array.prototype.forEach.call(list.children, function (el, i) {
      items.push({
        el: el, group: group, list: list, index: i, text: null,
        name: (el.getAttribute("data-name") || "").toLowerCase(),
        year: num(el.getAttribute("data-year")),
        citations: num(el.getAttribute("data-citations")),
        stars: num(el.getAttribute("data-stars")),
        status: el.getAttribute("data-status") || "",
        section: group.getAttribute("data-section") || ""
      });
    });
  });
  function num(v) { return v === null || v === "" ? null : Number(v); }
  function words(s) { return s.toLowerCase().split(/\s+/).filter(Boolean); }

  function apply() {
    var terms = words(q.value);
    var wantSection = section.value, wantStatus = status.value, wantYear = year.value;
    var shown = 0;
    var visible = new Map();
    items.forEach(function (it) {
      var ok = (!wantSection || it.section === wantSection) &&
        (!wantStatus || it.status === wantStatus) &&
        (!wantYear || String(it.year) === wantYear);
      if (ok && terms.length) {
        if (it.text === null) { it.text = it.el.textContent.toLowerCase(); }
        for (var i = 0; i < terms.length && ok; i++) { ok = it.text.indexOf(terms[i]) !== -1; }
      }
      if (it.el.hidden === ok) { it.el.hidden = !ok; }  // touch only what changes
      if (ok) { shown++; visible.set(it.group, true); }
    });
    groups.forEach(function (g) {
      var hide = !visible.get(g);
      if (g.hidden !== hide) { g.hidden = hide; }
    });
    count.textContent = shown + " of " + items.length + " entries shown";
  }

  function compare(key) {
    return function (a, b) {
      if (key === "name") { return a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index; }
      if (key === "list") { return a.index - b.index; }
      var x = a[key], y = b[key];
      if (x === y) { return a.index - b.index; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      return y - x;  // largest / newest first
    };
  }

  function reorder() {
    var byList = new Map();
    items.forEach(function (it) {
      if (!byList.has(it.list)) { byList.set(it.list, []); }
      byList.get(it.list).push(it);
    });
    var cmp = compare(sort.value);
    byList.forEach(function (list, el) {
      var frag = document.createDocumentFragment();
      list.slice().sort(cmp).forEach(function (it) { frag.appendChild(it.el); });
      el.appendChild(frag);
    });
  }

  var timer = null;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  [section, status, year].forEach(function (el) { el.addEventListener("change", apply); });
  sort.addEventListener("change", reorder);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.hidden = false;
  count.textContent = items.length + " of " + items.length + " entries shown";
})();
