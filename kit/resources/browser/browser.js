// The article browser: filters, search and highlighting, all in this page, no network.
// Article text only ever reaches the page through textContent and setAttribute, never as HTML.
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("kit-data").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const entityOf = new Map();  // "name (LABEL)" -> entity index
  D.entities.forEach((e, i) => entityOf.set(e[0] + " (" + e[1] + ")", i));
  const lower = D.articles.map((a) => ((a.title || "") + "\n" + a.text).toLowerCase());

  // Filter controls: sources and entities from the data, dates as typed.
  const sources = [...new Set(D.articles.map((a) => a.source || "(unknown source)"))].sort();
  for (const s of sources) $("source").appendChild(el("option", "", s)).value = s;
  const names = $("entity-names");
  D.entities.forEach((e) => { names.appendChild(el("option")).value = e[0] + " (" + e[1] + ")"; });

  function matches(i) {
    const a = D.articles[i];
    const src = $("source").value, ent = $("entity").value.trim(), q = $("search").value.trim().toLowerCase();
    const from = $("from").value, to = $("to").value;
    if (src && (a.source || "(unknown source)") !== src) return false;
    if (from && (!a.date || a.date < from)) return false;
    if (to && (!a.date || a.date > to)) return false;
    if (ent) {
      const id = entityOf.get(ent);
      if (id === undefined) {
        const e = ent.toLowerCase();
        if (!a.ents.some((m) => D.entities[m[2]][0].toLowerCase().includes(e))) return false;
      } else if (!a.ents.some((m) => m[2] === id)) return false;
    }
    return !q || q.split(/\s+/).every((w) => lower[i].includes(w));
  }

  const LIMIT = 300;
  let shown = [], current = -1;
  function refresh() {
    shown = D.articles.map((_, i) => i).filter(matches);
    const list = $("list");
    list.replaceChildren();
    for (const i of shown.slice(0, LIMIT)) {
      const a = D.articles[i];
      const li = el("li", i === current ? "current" : "");
      li.appendChild(el("span", "t", a.title || ("\u201e" + a.text.slice(0, 60) + "\u2026\u201c")));
      li.appendChild(el("span", "m", (a.date || "undated") + " \u00b7 " + (a.source || "unknown source")));
      li.addEventListener("click", () => open(i));
      list.appendChild(li);
    }
    $("count").textContent = shown.length + " of " + D.articles.length + " articles" +
      (shown.length > LIMIT ? " (first " + LIMIT + " listed; narrow the filters)" : "");
    if (shown.length && !shown.includes(current)) open(shown[0]);
    if (!shown.length) { $("article").replaceChildren(el("p", "empty", "No article matches these filters.")); current = -1; }
  }

  // One segment per stretch of text covered by the same entity, date and claim.
  function open(i) {
    current = i;
    const a = D.articles[i], view = $("article");
    view.replaceChildren();
    view.appendChild(el("h2", a.title ? "" : "untitled", a.title || ("(untitled) \u201e" + a.text.slice(0, 80) + "\u2026\u201c")));
    view.appendChild(el("p", "meta", (a.date || "undated") + " \u00b7 " + (a.source || "unknown source") +
      (a.section ? " \u00b7 " + a.section : "") +
      (a.url ? " \u00b7 " + a.url : "") + " \u00b7 " + a.ents.length + " mentions, " + a.dates.length +
      " dates, " + a.claims.length + " claims"));
    const cuts = new Set([0, a.text.length]);
    for (const s of [...a.ents, ...a.dates, ...a.claims]) { cuts.add(s[0]); cuts.add(s[1]); }
    const points = [...cuts].filter((c) => c >= 0 && c <= a.text.length).sort((x, y) => x - y);
    const covering = (spans, s, e) => spans.find((m) => m[0] <= s && e <= m[1]);
    const q = $("search").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const body = el("div", "text");
    for (let k = 0; k + 1 < points.length; k++) {
      const s = points[k], e = points[k + 1], piece = a.text.slice(s, e);
      const ent = covering(a.ents, s, e), date = covering(a.dates, s, e), claim = covering(a.claims, s, e);
      if (!ent && !date && !claim) { body.appendChild(markSearch(piece, q)); continue; }
      const span = el("span", "");
      const tips = [], cls = [];
      if (ent) {
        const info = D.entities[ent[2]];
        cls.push("ent", "l-" + info[1]);
        tips.push(info[1] + ": " + info[0]);
        span.dataset.entity = info[0] + " (" + info[1] + ")";
      }
      if (date) { cls.push("date"); tips.push("date: " + date[2] + (date[3] ? " (" + date[3] + ")" : "")); }
      if (claim) {
        cls.push("claim", "s-" + claim[2]);
        tips.push("claim, " + claim[2] + " (" + claim[3] + ") \u2014 source: " + (claim[4] || "unattributed"));
      }
      span.className = cls.join(" ");
      span.setAttribute("title", tips.join("\n"));
      span.appendChild(markSearch(piece, q));
      if (ent) span.addEventListener("click", () => { $("entity").value = span.dataset.entity; refresh(); });
      body.appendChild(span);
    }
    view.appendChild(body);
    for (const li of $("list").children) li.classList.remove("current");
    const at = shown.indexOf(i);
    if (at >= 0 && at < LIMIT) $("list").children[at].classList.add("current");
  }

  function markSearch(text, words) {
    const frag = document.createDocumentFragment();
    if (!words.length) { frag.appendChild(document.createTextNode(text)); return frag; }
    const low = text.toLowerCase();
    let at = 0;
    while (at < text.length) {
      let best = -1, len = 0;
      for (const w of words) { const p = low.indexOf(w, at); if (p >= 0 && (best < 0 || p < best)) { best = p; len = w.length; } }
      if (best < 0) break;
      frag.appendChild(document.createTextNode(text.slice(at, best)));
      frag.appendChild(el("mark", "", text.slice(best, best + len)));
      at = best + len;
    }
    frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  for (const id of ["source", "from", "to"]) $(id).addEventListener("change", refresh);
  for (const id of ["search", "entity"]) $(id).addEventListener("input", refresh);
  $("clear").addEventListener("click", () => {
    for (const id of ["source", "from", "to", "search", "entity"]) $(id).value = "";
    refresh();
  });
  refresh();
})();
