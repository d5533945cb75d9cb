"use strict";
// The review page of municipal-roles: filters, paged rows, charts, timeline and reviews.
// Texts from the data are only ever put in with textContent or attribute values; the one exception is
// the evidence markup, which displaCy rendered and escaped on the server.
(function () {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const PAGE_SIZE = 50;
  const MAX_BARS = 12;
  const MAX_TIMELINES = 20;
  const STORE_KEY = "municipal-roles-review:" + data.meta.reviewKey;
  const GOLD_COLUMNS = ["doc_id", "person", "role", "role_category", "digital", "organisation", "municipality",
    "as_of", "start", "end", "status", "evidence"];
  const STATUSES = ["current", "former", "future"];
  const NO_PLACE = "(no municipality)";
  const SVG = "http://www.w3.org/2000/svg";
  const digitalCategory = Object.fromEntries(data.categories.map((c) => [c.key, c.digital]));
  const rowByKey = new Map(data.rows.map((row) => [row.key, row]));
  const $ = (id) => document.getElementById(id);

  // --- small DOM helpers: text goes in as text -------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function option(value, label, selected) {
    const node = el("option", { value: value }, label);
    node.selected = selected;
    return node;
  }

  // --- reviews, kept in local storage -----------------------------------------------------------------

  function loadReviews() {
    try {
      const stored = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (stored && typeof stored.marks === "object" && Array.isArray(stored.added)) return stored;
    } catch (error) {
      console.warn("reviews could not be read from local storage", error);
    }
    return { marks: {}, added: [] };
  }

  const reviews = loadReviews();

  function saveReviews() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(reviews));
    } catch (error) {
      $("review-counts").textContent = "Reviews cannot be saved in this browser: " + error.message;
    }
  }

  function mark(key) {
    return reviews.marks[key] || {};
  }

  function setMark(key, change) {
    const next = Object.assign({}, mark(key), change);
    for (const name of Object.keys(next)) if (next[name] === undefined) delete next[name];
    if (Object.keys(next).length) reviews.marks[key] = next;
    else delete reviews.marks[key];
    saveReviews();
  }

  function corrected(row) {
    const review = mark(row.key);
    return review.category !== undefined || review.person !== undefined;
  }

  function reviewState(row) {
    const review = mark(row.key);
    if (review.verdict === "wrong") return "wrong";
    if (review.verdict === "right" || corrected(row)) return "right";
    return "open";
  }

  // --- filters ----------------------------------------------------------------------------------------

  const filters = { category: "", digital: false, municipality: "", status: "", review: "", search: "" };
  let page = 0;

  function place(row) {
    return row.municipality || NO_PLACE;
  }

  function category(row) {
    return mark(row.key).category || row.category;
  }

  function haystack(row) {
    if (row.haystack === undefined) {
      row.haystack = [row.person, row.role, row.organisation, row.municipality, row.evidence, row.docId, row.rule,
        row.category].join("\n").toLowerCase();
    }
    return row.haystack;
  }

  function matches(row, ignore) {
    const rowCategory = category(row);
    if (ignore !== "category" && filters.category && rowCategory !== filters.category) return false;
    if (filters.digital && !digitalCategory[rowCategory]) return false;
    if (ignore !== "municipality" && filters.municipality && place(row) !== filters.municipality) return false;
    if (ignore !== "status" && filters.status && row.status !== filters.status) return false;
    if (ignore !== "review" && filters.review && reviewState(row) !== filters.review) return false;
    if (filters.search && !haystack(row).includes(filters.search)) return false;
    return true;
  }

  function countBy(rows, keyOf) {
    const counts = new Map();
    for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) || 0) + 1);
    return counts;
  }

  function fillSelect(select, everything, entries, chosen) {
    const options = [option("", everything, chosen === "")];
    for (const [value, label, count] of entries) {
      options.push(option(value, label + " (" + count + ")", value === chosen));
    }
    select.replaceChildren(...options);
  }

  // The categories as two option groups, digital and other; ``counts`` adds each one's count and leaves out zeros.
  function categoryOptions(chosen, counts) {
    const groups = [["digital roles", true], ["other roles", false]].map(([label, digital]) => {
      const group = el("optgroup", { label: label });
      for (const c of data.categories) {
        if (c.digital !== digital || (counts && !counts.has(c.key) && c.key !== chosen)) continue;
        group.append(option(c.key, counts ? c.key + " (" + (counts.get(c.key) || 0) + ")" : c.key, c.key === chosen));
      }
      return group;
    });
    return groups.filter((group) => group.children.length);
  }

  // Each select counts the rows that the other filters let through (so its options say what choosing gives).
  function updateFacets() {
    const byCategory = countBy(data.rows.filter((row) => matches(row, "category")), category);
    $("filter-category").replaceChildren(option("", "all categories", filters.category === ""),
      ...categoryOptions(filters.category, byCategory));
    const byPlace = countBy(data.rows.filter((row) => matches(row, "municipality")), place);
    const places = [...byPlace.keys()].sort((a, b) => (a === NO_PLACE) - (b === NO_PLACE) || a.localeCompare(b));
    if (filters.municipality && !byPlace.has(filters.municipality)) places.unshift(filters.municipality);
    fillSelect($("filter-municipality"), "all municipalities",
      places.map((name) => [name, name, byPlace.get(name) || 0]), filters.municipality);
    const byStatus = countBy(data.rows.filter((row) => matches(row, "status")), (row) => row.status);
    fillSelect($("filter-status"), "any status", STATUSES.map((s) => [s, s, byStatus.get(s) || 0]), filters.status);
    const byReview = countBy(data.rows.filter((row) => matches(row, "review")), reviewState);
    fillSelect($("filter-review"), "reviewed or not",
      [["open", "not reviewed", byReview.get("open") || 0], ["right", "right", byReview.get("right") || 0],
        ["wrong", "wrong", byReview.get("wrong") || 0]], filters.review);
  }

  // --- charts -----------------------------------------------------------------------------------------

  function barChart(container, entries, onPick, limit) {
    const shown = entries.slice(0, limit || MAX_BARS);
    const rest = entries.slice(limit || MAX_BARS);
    if (rest.length) shown.push({ label: rest.length + " more", count: rest.reduce((sum, e) => sum + e.count, 0) });
    if (!shown.length) {
      container.replaceChildren(el("p", { className: "empty" }, "none"));
      return;
    }
    const width = 360;
    const labelWidth = 150;
    const barHeight = 18;
    const most = Math.max(...shown.map((e) => e.count));
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + shown.length * (barHeight + 4), role: "img",
      class: "bars" });
    shown.forEach((entry, index) => {
      const y = index * (barHeight + 4);
      const group = svg("g", { class: "bar" + (entry.className ? " " + entry.className : "") +
        (onPick && entry.value !== undefined ? " pickable" : "") });
      group.append(svg("title", {}, entry.label + ": " + entry.count));
      group.append(svg("text", { x: labelWidth - 6, y: y + barHeight - 5, "text-anchor": "end" }, entry.label));
      const length = Math.max(1, ((width - labelWidth - 40) * entry.count) / most);
      group.append(svg("rect", { x: labelWidth, y: y, width: length, height: barHeight, rx: 2 }));
      group.append(svg("text", { x: labelWidth + length + 4, y: y + barHeight - 5, class: "value" }, entry.count));
      if (onPick && entry.value !== undefined) group.addEventListener("click", () => onPick(entry.value));
      chart.append(group);
    });
    container.replaceChildren(chart);
  }

  function drawStatusChart() {
    const counts = countBy(data.documents, (d) => d.status);
    barChart($("chart-status"), [...counts.entries()].sort((a, b) => b[1] - a[1])
      .map(([status, count]) => ({ label: status, count: count, className: "status-" + status })));
  }

  function drawRowCharts(rows) {
    const byCategory = countBy(rows, category);
    barChart($("chart-category"), data.categories.filter((c) => byCategory.has(c.key)).map((c) => ({
      label: c.key, value: c.key, count: byCategory.get(c.key), className: c.digital ? "digital" : "other",
    })), (value) => setFilter("category", value), data.categories.length);
    const byPlace = countBy(rows, place);
    barChart($("chart-municipality"), [...byPlace.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([name, count]) => ({ label: name, value: name, count: count })),
    (value) => setFilter("municipality", value));
  }

  // --- rows -------------------------------------------------------------------------------------------

  function dates(row) {
    const parts = [];
    if (row.asOf) parts.push("as of " + row.asOf);
    if (row.start) parts.push("from " + row.start);
    if (row.end) parts.push("until " + row.end);
    return parts.join(" · ");
  }

  function categorySelect(row) {
    const select = el("select", { className: "review-category", "aria-label": "category" });
    select.replaceChildren(...categoryOptions(category(row), null));
    return select;
  }

  function textLink(row) {
    const documentInfo = data.documents[row.doc];
    if (!documentInfo || !documentInfo.hasText) {
      return el("span", { className: "unavailable" }, "text unavailable" +
        (documentInfo && documentInfo.note ? ": " + documentInfo.note : ""));
    }
    const at = row.at ? "&at=" + row.at[0] + "-" + row.at[1] : "";
    return el("a", { href: "#doc=" + row.doc + at, className: "open-text" },
      row.at ? "open the text here" : "open the text (evidence not at its place)");
  }

  function rowElement(row) {
    const state = reviewState(row);
    const review = mark(row.key);
    const article = el("article", { className: "row state-" + state + (corrected(row) ? " corrected" : ""),
      "data-key": row.key });
    const evidence = el("div", { className: "evidence" });
    evidence.innerHTML = row.html; // displaCy markup, escaped on the server
    article.append(
      el("div", { className: "row-head" },
        el("span", { className: "person" }, review.person !== undefined ? review.person : row.person),
        el("span", { className: "role" }, row.role),
        el("span", { className: "category " + (digitalCategory[category(row)] ? "digital" : "other") }, category(row)),
        el("span", { className: "status status-" + row.status }, row.status),
        el("span", { className: "dates" }, dates(row))),
      evidence,
      el("div", { className: "row-meta" },
        el("span", { className: "doc" }, row.docId), " · ", textLink(row),
        row.organisation ? " · " : null,
        row.organisation ? el("span", { className: "organisation" }, row.organisation) : null,
        " · rule ", el("code", { className: "rule" }, row.rule)),
      el("div", { className: "row-review" },
        el("button", { type: "button", className: "mark-right", "aria-pressed": String(review.verdict === "right") },
          "✓ right"),
        el("button", { type: "button", className: "mark-wrong", "aria-pressed": String(review.verdict === "wrong") },
          "✗ wrong"),
        el("label", {}, "category ", categorySelect(row)),
        el("label", {}, "person ", el("input", { className: "review-person", value: review.person !== undefined ?
          review.person : row.person, "aria-label": "person" })),
        el("button", { type: "button", className: "add-in-document" }, "+ missed role in this document")));
    return article;
  }

  function render() {
    const rows = data.rows.filter((row) => matches(row));
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const shown = rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const nodes = [];
    let lastPlace = null;
    for (const row of shown) {
      if (place(row) !== lastPlace) {
        lastPlace = place(row);
        nodes.push(el("h3", { className: "place" }, lastPlace));
      }
      nodes.push(rowElement(row));
    }
    $("rows").replaceChildren(...nodes);
    $("row-count").textContent = rows.length + " of " + data.rows.length + " rows" +
      (rows.length ? ", " + (page * PAGE_SIZE + 1) + "–" + (page * PAGE_SIZE + shown.length) + " shown" : "");
    $("page-label").textContent = "page " + (page + 1) + " of " + pages;
    $("page-previous").disabled = page === 0;
    $("page-next").disabled = page >= pages - 1;
    updateFacets();
    drawRowCharts(rows);
    drawTimeline();
    updateReviewCounts();
  }

  function setFilter(name, value) {
    filters[name] = value;
    page = 0;
    render();
  }

  // --- the document text ------------------------------------------------------------------------------

  function openText(index, at) {
    const info = data.documents[index];
    if (!info) return;
    $("text-title").textContent = info.title || info.id;
    const note = [info.id, info.published, info.municipality].filter(Boolean).join(" · ");
    $("text-note").textContent = note + (info.note ? " — " + info.note : "");
    const body = $("text-body");
    const block = info.hasText ? document.getElementById("text-" + index) : null;
    if (!block) {
      body.replaceChildren("The text is unavailable.");
    } else {
      const text = JSON.parse(block.textContent);
      if (at && at[1] <= text.length) {
        const here = el("mark", { id: "text-here" }, text.slice(at[0], at[1]));
        body.replaceChildren(text.slice(0, at[0]), here, text.slice(at[1]));
      } else {
        body.replaceChildren(text);
      }
    }
    const dialog = $("text-dialog");
    if (!dialog.open) dialog.showModal();
    const here = document.getElementById("text-here");
    if (here) here.scrollIntoView({ block: "center" });
    else body.scrollTop = 0;
  }

  function openFromHash() {
    const match = /^#doc=(\d+)(?:&at=(\d+)-(\d+))?$/.exec(location.hash);
    if (match) openText(Number(match[1]), match[2] === undefined ? null : [Number(match[2]), Number(match[3])]);
  }

  // --- timeline ---------------------------------------------------------------------------------------

  function firstDay(value) {
    const parts = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
    if (!parts) return null;
    return Date.UTC(Number(parts[1]), parts[2] ? Number(parts[2]) - 1 : 0, parts[3] ? Number(parts[3]) : 1);
  }

  function lastDay(value) {
    const parts = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
    if (!parts) return null;
    if (parts[3]) return Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
    if (parts[2]) return Date.UTC(Number(parts[1]), Number(parts[2]), 0);
    return Date.UTC(Number(parts[1]), 11, 31);
  }

  function span(tenure) {
    const from = firstDay(tenure.start) ?? firstDay(tenure.first_attested);
    let to = lastDay(tenure.end);
    const open = to === null && tenure.status_at_last !== "former";
    if (to === null && !open) to = lastDay(tenure.last_attested);
    return { from: from, to: to, open: open, startKnown: Boolean(tenure.start) };
  }

  let timelineDrawnFor = null;

  function drawTimeline() {
    const drawFor = filters.municipality + "\n" + filters.category;
    if (drawFor === timelineDrawnFor) return; // only these two filters change it
    timelineDrawnFor = drawFor;
    const container = $("timeline");
    if (data.tenures === null) {
      container.replaceChildren(el("p", { className: "empty" },
        "This output has no tenures table (tenures.parquet), so there is no timeline."));
      return;
    }
    const tenures = data.tenures.filter((t) => t.digital &&
      (!filters.municipality || (t.municipality || NO_PLACE) === filters.municipality) &&
      (!filters.category || t.role_category === filters.category));
    if (!tenures.length) {
      container.replaceChildren(el("p", { className: "empty" }, "No digital tenures for this selection."));
      return;
    }
    const spans = tenures.map(span);
    const times = spans.flatMap((s) => [s.from, s.to]).filter((t) => t !== null);
    times.push(Date.parse(data.meta.built.slice(0, 10)));
    const axisStart = Date.UTC(new Date(Math.min(...times)).getUTCFullYear(), 0, 1);
    const axisEnd = Date.UTC(new Date(Math.max(...times)).getUTCFullYear() + 1, 0, 1);
    const byPlace = new Map();
    tenures.forEach((tenure, index) => {
      const name = tenure.municipality || NO_PLACE;
      if (!byPlace.has(name)) byPlace.set(name, []);
      byPlace.get(name).push([tenure, spans[index]]);
    });
    const names = [...byPlace.keys()].sort((a, b) => a.localeCompare(b));
    const nodes = names.slice(0, MAX_TIMELINES).map((name) => timelineOf(name, byPlace.get(name), axisStart, axisEnd));
    if (names.length > MAX_TIMELINES) {
      nodes.push(el("p", { className: "hint" }, "Showing " + MAX_TIMELINES + " of " + names.length +
        " municipalities; choose one in the filter to see it."));
    }
    container.replaceChildren(...nodes);
  }

  function timelineOf(name, entries, axisStart, axisEnd) {
    const width = 960;
    const labelWidth = 300;
    const rowHeight = 22;
    const top = 20;
    const x = (time) => labelWidth + ((width - labelWidth - 10) * (time - axisStart)) / (axisEnd - axisStart);
    entries.sort((a, b) => (a[1].from ?? 0) - (b[1].from ?? 0));
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + (top + entries.length * rowHeight + 4),
      class: "timeline", role: "img" });
    chart.append(svg("title", {}, "Digital roles in " + name));
    for (let year = new Date(axisStart).getUTCFullYear(); Date.UTC(year, 0, 1) <= axisEnd; year++) {
      const position = x(Date.UTC(year, 0, 1));
      chart.append(svg("line", { x1: position, x2: position, y1: top - 4, y2: top + entries.length * rowHeight,
        class: "tick" }));
      if (Date.UTC(year, 0, 1) < axisEnd) chart.append(svg("text", { x: position + 2, y: top - 8, class: "year" }, year));
    }
    entries.forEach(([tenure, s], index) => {
      const y = top + index * rowHeight;
      const group = svg("g", { class: "tenure" + (s.open ? " open" : "") + (s.startKnown ? "" : " start-unknown") });
      const label = tenure.person + " — " + tenure.role;
      group.append(svg("title", {}, label + " (" + tenure.role_category + "), " + (tenure.organisation || name) +
        ": " + (tenure.start || "start unknown, first attested " + tenure.first_attested) + " – " +
        (tenure.end || (s.open ? "today (" + tenure.status_at_last + ", last attested " + tenure.last_attested + ")" :
          "last attested " + tenure.last_attested))));
      group.append(svg("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end" },
        label.length > 48 ? label.slice(0, 47) + "…" : label));
      if (s.from !== null) {
        const end = s.open ? axisEnd : (s.to ?? s.from);
        const barEnd = Math.max(x(end), x(s.from) + 3);
        group.append(svg("rect", { x: x(s.from), y: y + 4, width: barEnd - x(s.from), height: rowHeight - 8, rx: 2 }));
        const half = rowHeight / 2 - 2;
        if (s.open) {
          group.append(svg("path", { d: "M" + barEnd + " " + (y + 2) + " l8 " + half + " l-8 " + half + "z",
            class: "arrow" }));
        }
      }
      chart.append(group);
    });
    return el("figure", { className: "timeline-place" }, el("figcaption", {}, name), chart);
  }

  // --- review: marks, corrections, added roles, gold CSV ----------------------------------------------

  function updateReviewCounts() {
    let right = 0;
    let wrong = 0;
    let changed = 0;
    for (const row of data.rows) {
      const state = reviewState(row);
      if (state === "right") right++;
      if (state === "wrong") wrong++;
      if (corrected(row)) changed++;
    }
    $("review-counts").textContent = "reviewed: " + right + " right (" + changed + " corrected), " + wrong +
      " wrong, " + reviews.added.length + " added · " + (data.rows.length - right - wrong) + " not reviewed";
    const list = reviews.added.map((added, index) => el("li", {},
      el("span", { className: "doc" }, added.doc_id), ": ", el("span", { className: "person" }, added.person), " — ",
      el("span", { className: "role" }, added.role), " (" + added.role_category + ") ",
      el("button", { type: "button", className: "remove-added", "data-index": index }, "remove")));
    $("added-list").replaceChildren(...(list.length ? list : [el("li", { className: "empty" }, "none yet")]));
  }

  function goldRows() {
    const rows = [];
    for (const row of data.rows) {
      if (reviewState(row) !== "right") continue;
      const review = mark(row.key);
      const rowCategory = category(row);
      rows.push({
        doc_id: row.docId, person: review.person !== undefined ? review.person : row.person, role: row.role,
        role_category: rowCategory, digital: digitalCategory[rowCategory] ? "yes" : "no",
        organisation: row.organisation, municipality: row.municipality, as_of: row.asOf, start: row.start,
        end: row.end, status: row.status, evidence: row.evidence,
      });
    }
    for (const added of reviews.added) {
      rows.push(Object.assign({}, added, { digital: digitalCategory[added.role_category] ? "yes" : "no" }));
    }
    return rows;
  }

  function csvField(value) {
    const text = value === undefined || value === null ? "" : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function downloadGold() {
    const lines = [GOLD_COLUMNS.join(",")];
    for (const row of goldRows()) lines.push(GOLD_COLUMNS.map((column) => csvField(row[column])).join(","));
    const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const link = el("a", { href: URL.createObjectURL(blob), download: "gold.csv" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function openAddDialog(row) {
    const form = $("add-form");
    form.reset();
    $("add-error").textContent = "";
    $("add-category").replaceChildren(...categoryOptions(row ? category(row) : "", null));
    if (row) {
      $("add-doc").value = row.docId;
      $("add-municipality").value = row.municipality;
    }
    $("add-dialog").showModal();
  }

  function saveAdded(event) {
    event.preventDefault();
    const form = $("add-form");
    const values = Object.fromEntries(new FormData(form).entries());
    for (const name of Object.keys(values)) values[name] = values[name].trim();
    const documentInfo = data.documents.find((d) => d.id === values.doc_id);
    if (!documentInfo) {
      $("add-error").textContent = "No document with the id " + JSON.stringify(values.doc_id) + " in this output.";
      return;
    }
    if (!form.reportValidity()) return;
    reviews.added.push({
      doc_id: values.doc_id, person: values.person, role: values.role, role_category: values.role_category,
      organisation: values.organisation, municipality: values.municipality, as_of: documentInfo.published,
      start: values.start, end: values.end, status: values.status, evidence: values.evidence,
    });
    saveReviews();
    $("add-dialog").close();
    updateReviewCounts();
  }

  // --- wiring -----------------------------------------------------------------------------------------

  function onRowsClick(event) {
    const article = event.target.closest("article.row");
    if (!article) return;
    const row = rowByKey.get(article.dataset.key);
    if (event.target.closest(".mark-right")) {
      setMark(row.key, { verdict: mark(row.key).verdict === "right" ? undefined : "right" });
      render();
    } else if (event.target.closest(".mark-wrong")) {
      setMark(row.key, { verdict: mark(row.key).verdict === "wrong" ? undefined : "wrong" });
      render();
    } else if (event.target.closest(".add-in-document")) {
      openAddDialog(row);
    } else if (event.target.closest(".open-text") && event.target.closest(".open-text").hash === location.hash) {
      openFromHash(); // the same link again: no hashchange
    }
  }

  function onRowsChange(event) {
    const article = event.target.closest("article.row");
    if (!article) return;
    const row = rowByKey.get(article.dataset.key);
    if (event.target.matches(".review-category")) {
      setMark(row.key, { category: event.target.value === row.category ? undefined : event.target.value });
      render();
    } else if (event.target.matches(".review-person")) {
      // Updated in place: re-rendering would take the field away from someone still typing in it.
      const person = event.target.value.trim();
      setMark(row.key, { person: person === row.person || !person ? undefined : person });
      article.className = "row state-" + reviewState(row) + (corrected(row) ? " corrected" : "");
      article.querySelector(".row-head .person").textContent = mark(row.key).person ?? row.person;
      updateReviewCounts();
    }
  }

  function wire() {
    $("source").textContent = data.meta.source + " · " + data.documents.length + " documents, " + data.rows.length +
      " role rows · built " + data.meta.built;
    $("no-roles").hidden = data.rows.length > 0;
    $("filters").hidden = data.rows.length === 0;
    document.querySelector(".pager").hidden = data.rows.length === 0;
    $("document-ids").replaceChildren(...data.documents.filter((d) => d.status === "ok")
      .map((d) => el("option", { value: d.id })));
    $("filter-category").addEventListener("change", (e) => setFilter("category", e.target.value));
    $("filter-municipality").addEventListener("change", (e) => setFilter("municipality", e.target.value));
    $("filter-status").addEventListener("change", (e) => setFilter("status", e.target.value));
    $("filter-review").addEventListener("change", (e) => setFilter("review", e.target.value));
    $("filter-digital").addEventListener("change", (e) => setFilter("digital", e.target.checked));
    let typing = null;
    $("filter-search").addEventListener("input", (e) => {
      clearTimeout(typing);
      typing = setTimeout(() => setFilter("search", e.target.value.trim().toLowerCase()), 150);
    });
    $("filters").addEventListener("submit", (e) => e.preventDefault());
    $("page-previous").addEventListener("click", () => { page--; render(); });
    $("page-next").addEventListener("click", () => { page++; render(); });
    $("rows").addEventListener("click", onRowsClick);
    $("rows").addEventListener("change", onRowsChange);
    $("download-gold").addEventListener("click", downloadGold);
    $("add-missed").addEventListener("click", () => openAddDialog(null));
    $("add-cancel").addEventListener("click", () => $("add-dialog").close());
    $("add-form").addEventListener("submit", saveAdded);
    $("added-list").addEventListener("click", (event) => {
      const button = event.target.closest(".remove-added");
      if (!button) return;
      reviews.added.splice(Number(button.dataset.index), 1);
      saveReviews();
      updateReviewCounts();
    });
    $("text-close").addEventListener("click", () => $("text-dialog").close());
    $("text-dialog").addEventListener("close", () => {
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    });
    window.addEventListener("hashchange", openFromHash);
    document.addEventListener("DOMContentLoaded", openFromHash);
  }

  wire();
  drawStatusChart();
  render();
  performance.mark("rows-shown"); // read by bench/report_bench.py
})();
