// nnsvg edit: the page. Its controls are built from the server's description of every style's
// option declarations (GET state: kind, widget, help, JSON Schema bounds and choices, default); every
// change is sent as the spec's data (controls) or text (the text pane), debounced; an answer
// to an edit the page has since replaced is dropped (request ids), and an edit still under
// way is aborted when a newer one is sent, never queued behind it.
"use strict";

const DEBOUNCE_MS = 40;
const SLIDER_STEPS = 1000;
const client = Array.from(crypto.getRandomValues(new Uint8Array(9)), b => b.toString(16).padStart(2, "0")).join("");

let C = null;          // the controls' description (styles, themes, theme keys, formats)
let data = {};         // the spec's data as the controls show it
let style = "fcnn";
let seq = 0;           // id of the newest edit sent
let shown = 0;         // id of the newest answer shown
let inflight = null;   // AbortController of the edit under way
let timer = null;
let pending = null;
let widgets = {};      // option name → {el, set(value), err}
let lastError = null;

const $ = id => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

// --- numbers on sliders: the declared bounds, log-spaced when they span orders of magnitude ---

function warp(low, high) {
  const span = high - low;
  if (low > 0 && high / low >= 100) {       // log: node_diameter 1..1000 puts 20 near the middle
    const k = Math.log(high / low);
    return {to: v => Math.log(Math.max(low, v) / low) / k, from: t => low * Math.exp(t * k)};
  }
  if (low >= 0 && span > 200) {             // log1p from the low end (0 stays reachable)
    const k = Math.log1p(span);
    return {to: v => Math.log1p(Math.max(0, v - low)) / k, from: t => low + Math.expm1(t * k)};
  }
  if (low < 0 && high > 0 && span > 1000) {  // signed log around 0
    const m = Math.max(-low, high), k = Math.log1p(m);
    return {
      to: v => 0.5 + Math.sign(v) * Math.log1p(Math.abs(v)) / k / 2,
      from: t => { const s = (t - 0.5) * 2; return Math.min(high, Math.max(low, Math.sign(s) * Math.expm1(Math.abs(s) * k))); },
    };
  }
  return {to: v => (v - low) / span, from: t => low + t * span};
}

function tidy(v, integer) {
  if (integer) return Math.round(v);
  const a = Math.abs(v);
  return a >= 100 ? Math.round(v) : a >= 10 ? Math.round(v * 10) / 10 : Math.round(v * 100) / 100;
}

function asValue(text, integer) {    // a number when it reads as one, else the text (the spec names the error)
  const t = String(text).trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (Number.isFinite(n) && /^[-+]?[0-9.eE+-]+$/.test(t)) return integer && !Number.isInteger(n) ? t : n;
  return t;
}

function slider(schema, integer, onChange) {
  const low = schema.minimum, high = schema.maximum;
  const usable = Number.isFinite(low) && Number.isFinite(high) && high - low <= 1e12;
  const number = el("input", {type: "text", inputmode: "decimal", class: "num", size: 8});
  const row = el("div", {class: "row"});
  let range = null, w = null;
  if (usable) {
    w = warp(low, high);
    range = el("input", {type: "range", min: 0, max: SLIDER_STEPS, step: 1});
    range.addEventListener("input", () => {
      const v = tidy(w.from(range.value / SLIDER_STEPS), integer);
      number.value = v;
      onChange(v);
    });
    row.append(range);
  }
  number.addEventListener("input", () => {
    const v = asValue(number.value, integer);
    if (range && typeof v === "number") range.value = Math.round(w.to(v) * SLIDER_STEPS);
    onChange(v);
  });
  row.append(number);
  return {row, number, range, set(v) {
    if (document.activeElement !== number) number.value = v === undefined || v === null ? "" : v;
    if (range && typeof v === "number" && document.activeElement !== range) range.value = Math.round(w.to(v) * SLIDER_STEPS);
  }};
}

// --- one control per option declaration ----------------------------------------------------------

function control(option) {
  const name = option.name, kind = option.kind, widget = option.widget, schema = option.schema;
  const box = el("div", {class: "control", id: `control-${name}`, "data-option": name, "data-kind": kind});
  const reset = el("button", {class: "reset", title: "back to the default (removes the key)", type: "button"}, "↺ default");
  reset.addEventListener("click", () => change(name, undefined, true));
  box.append(el("div", {class: "name"}, el("span", {}, name), reset));
  const err = el("div", {class: "err"});
  let set;
  if (widget === "checkbox") {
    const check = el("input", {type: "checkbox", id: `input-${name}`});
    check.addEventListener("change", () => change(name, check.checked));
    box.append(el("label", {class: "row"}, check, el("span", {class: "help"}, option.help)));
    set = v => { check.checked = !!v; };
  } else if (widget === "integer" || widget === "number") {
    const s = slider(schema, widget === "integer", v => change(name, v));
    s.number.id = `input-${name}`;
    if (s.range) s.range.id = `range-${name}`;
    box.append(s.row, el("div", {class: "help"}, option.help));
    set = s.set;
  } else if (widget === "select" || widget === "themes") {
    const select = el("select", {id: `input-${name}`});
    const values = widget === "select" ? schema.enum : C.themes.map(t => t.name);
    for (const v of values) select.append(el("option", {value: v}, v));
    select.addEventListener("change", () => change(name, select.value));
    box.append(el("div", {class: "row"}, select), el("div", {class: "help"}, option.help));
    set = v => {
      if (v !== undefined && v !== null && !Array.from(select.options).some(o => o.value === String(v)))
        select.append(el("option", {value: v}, String(v)));
      select.value = v === undefined || v === null ? "" : v;
    };
  } else if (widget === "numbers") {
    const item = schema.oneOf[0];
    const text = el("input", {type: "text", id: `input-${name}`, placeholder: "one value, or a list: 20,30"});
    const sliders = el("div", {});
    let count = -1, parts = [];
    const fromText = () => {
      const items = text.value.split(",").map(t => asValue(t, false));
      if (items.length === 1) return items[0];
      return items.map(v => v === undefined ? "" : v);
    };
    text.addEventListener("input", () => { const v = fromText(); change(name, v); layout(v); });
    const layout = v => {
      const list = Array.isArray(v) ? v : [v === undefined ? option.default : v];
      if (list.length !== count) {
        count = list.length;
        sliders.replaceChildren();
        parts = list.length > 4 ? [] : list.map((_, i) => {
          const s = slider(item, false, x => {
            const cur = Array.isArray(data[name]) ? data[name].slice() : [data[name] ?? option.default].flat();
            cur[i] = x;
            const next = cur.length === 1 && !Array.isArray(data[name]) ? cur[0] : cur;
            change(name, next);
            if (document.activeElement !== text) text.value = [next].flat().join(",");
          });
          s.number.remove();
          if (s.range) s.range.id = `range-${name}-${i}`;
          sliders.append(s.row);
          return s;
        });
      }
      list.forEach((x, i) => parts[i] && parts[i].set(typeof x === "number" ? x : undefined));
    };
    box.append(el("div", {class: "row"}, text), sliders, el("div", {class: "help"}, option.help));
    set = v => {
      if (document.activeElement !== text) text.value = v === undefined || v === null ? "" : [v].flat().join(",");
      layout(v);
    };
  } else if (widget === "settings") {
    const rows = el("div", {});
    const keys = el("datalist", {id: "theme-keys"});
    for (const k of C.theme_keys) keys.append(el("option", {value: k.key}, `${k.default} — ${k.doc}`));
    const emit = () => {
      const out = {};
      for (const r of rows.children) {
        const [k, v] = r.querySelectorAll("input");
        if (k.value.trim()) out[k.value.trim()] = asValue(v.value, false) ?? "";
      }
      change(name, Object.keys(out).length ? out : undefined);
    };
    const addRow = (k, v) => {
      const key = el("input", {type: "text", list: "theme-keys", placeholder: "node.fill", value: k});
      const value = el("input", {type: "text", placeholder: "#ffcc00", value: v});
      const del = el("button", {type: "button", class: "add", title: "remove this override"}, "✕");
      key.addEventListener("input", emit);
      value.addEventListener("input", emit);
      del.addEventListener("click", () => { row.remove(); emit(); });
      const row = el("div", {class: "setting"}, key, value, del);
      rows.append(row);
      return row;
    };
    const add = el("button", {type: "button", class: "add", id: "add-setting"}, "+ theme key");
    add.addEventListener("click", () => addRow("", "").querySelector("input").focus());
    box.append(keys, rows, add, el("div", {class: "help"}, "--set: " + option.help + " (`nnsvg themes --keys`)"));
    set = v => {
      if (rows.contains(document.activeElement)) return;
      rows.replaceChildren();
      for (const [k, x] of Object.entries(v || {})) addRow(k, String(x));
    };
  } else {  // text, texts, length
    const input = el("input", {type: "text", id: `input-${name}`,
                               placeholder: widget === "length" ? "3.5in, 8.4cm, column, page, slide" :
                                            widget === "texts" ? "a,b,c" : ""});
    input.addEventListener("input", () => {
      const t = input.value.trim();
      change(name, t === "" ? undefined : widget === "texts" ? input.value.split(",").map(s => s.trim()) : input.value);
    });
    box.append(el("div", {class: "row"}, input), el("div", {class: "help"}, option.help));
    set = v => { if (document.activeElement !== input) input.value = v === undefined || v === null ? "" : [v].flat().join(","); };
  }
  box.append(err);
  widgets[name] = {box, err, set: v => { box.classList.toggle("set", v !== undefined); set(v === undefined ? option.default : v); }};
  return box;
}

// --- the layers: one row each, to edit, add, remove and reorder -------------------------------

function layerSize(item) { return item !== null && typeof item === "object" ? item.size : item; }

function layersBox() {
  const box = el("div", {class: "control", id: "control-layers", "data-option": "layers"});
  const rows = el("div", {id: "layer-rows"});
  const err = el("div", {class: "err"});
  const add = el("button", {type: "button", class: "add", id: "add-layer", title: "add a layer like the last one"}, "+ layer");
  add.addEventListener("click", () => {
    const list = (data.layers || []).slice();
    list.push(list.length ? structuredClone(list[list.length - 1]) : C.styles[style].example[0]);
    change("layers", list);
    fillLayers();
  });
  box.append(el("div", {class: "help"}, C.styles[style].tokens), rows, add, err);
  widgets.layers = {box, err, set: () => fillLayers()};
  return box;
}

function fillLayers() {
  const rows = $("layer-rows");
  if (rows.contains(document.activeElement) && rows.children.length === (data.layers || []).length) return;
  rows.replaceChildren();
  const keys = Object.keys(C.styles[style].layer_keys).filter(k => k !== "size" && k !== "label");
  (Array.isArray(data.layers) ? data.layers : []).forEach((item, i) => {
    const map = item !== null && typeof item === "object" ? item : {size: item};
    const edit = () => {
      const next = {size: asValue(size.value, true)};
      if (label.value !== "") next.label = label.value;
      extra.forEach((input, j) => { const v = asValue(input.value, false); if (v !== undefined) next[keys[j]] = v; });
      const list = data.layers.slice();
      list[i] = Object.keys(next).length === 1 ? next.size : next;
      change("layers", list);
    };
    const size = el("input", {type: "text", value: map.size ?? "", class: "size", "aria-label": `layer ${i + 1} size`});
    const label = el("input", {type: "text", value: map.label ?? "", placeholder: "label", "aria-label": `layer ${i + 1} label`});
    const extra = keys.map(k => el("input", {type: "text", value: map[k] ?? "", placeholder: k, "aria-label": `layer ${i + 1} ${k}`}));
    for (const input of [size, label, ...extra]) input.addEventListener("input", edit);
    const move = (d) => {
      const list = data.layers.slice();
      const j = i + d;
      if (j < 0 || j >= list.length) return;
      [list[i], list[j]] = [list[j], list[i]];
      change("layers", list);
      fillLayers();
    };
    const tool = (text, title, f) => { const b = el("button", {type: "button", title}, text); b.addEventListener("click", f); return b; };
    const tools = el("span", {class: "tools"},
      ...(extra.length ? [tool("⋯", `${keys.join(", ")} of this layer`, () => row.classList.toggle("open"))] : []),
      tool("↑", "move up", () => move(-1)), tool("↓", "move down", () => move(1)),
      tool("✕", "remove this layer", () => { const list = data.layers.slice(); list.splice(i, 1); change("layers", list); fillLayers(); }));
    const row = el("div", {class: "layer-row", "data-index": i}, el("span", {class: "index"}, String(i + 1)), size, label, tools);
    if (extra.length) row.append(el("div", {class: "more"}, ...extra));
    if (keys.some(k => map[k] !== undefined && map[k] !== null)) row.classList.add("open");
    row.append(el("div", {class: "err layer-err"}));
    rows.append(row);
  });
}

// --- building the panel for a style, filling it from the data ---------------------------------

function build() {
  widgets = {};
  const panel = $("controls");
  panel.replaceChildren();
  const spec = C.styles[style];
  panel.append(el("h2", {}, "layers"), layersBox());
  const own = spec.options.filter(o => !o.shared), shared = spec.options.filter(o => o.shared);
  panel.append(el("h2", {}, `${style} options`));
  for (const option of own) panel.append(control(option));
  panel.append(el("h2", {}, "every style"));
  for (const option of shared) panel.append(control(option));
}

function fill() {
  $("style").value = style;
  $("theme").value = data.theme ?? "nnsvg";
  for (const [name, w] of Object.entries(widgets)) w.set(data[name]);
}

function change(name, value, rebuild) {
  if (value === undefined) delete data[name]; else data[name] = value;
  if (widgets[name]) widgets[name].box.classList.toggle("set", value !== undefined);
  if (rebuild && widgets[name]) widgets[name].set(value);
  if (name === "theme") $("theme").value = value ?? "nnsvg";
  schedule({data: structuredClone(data)});
}

function setStyle(next) {
  if (next === style) return;
  const kept = {};
  for (const o of C.styles[next].options) if (o.shared && o.name in data) kept[o.name] = data[o.name];
  style = next;
  data = {style: next, layers: C.styles[next].example.slice(), ...kept};
  build();
  fill();
  schedule({data: structuredClone(data)});
}

// --- talking to the server --------------------------------------------------------------------

function schedule(payload) {
  pending = payload;
  status("editing…", "");
  clearTimeout(timer);
  timer = setTimeout(() => { const p = pending; pending = null; send(p); }, DEBOUNCE_MS);
}

async function send(payload) {
  const id = ++seq;
  if (inflight) inflight.abort();   // the answer to an older edit is not wanted: never wait for it
  const controller = new AbortController();
  inflight = controller;
  document.body.dataset.busy = "1";
  const started = performance.now();
  let answer;
  try {
    const response = await fetch("update", {method: "POST", headers: {"Content-Type": "application/json"},
                                            body: JSON.stringify({client, id, ...payload}), signal: controller.signal});
    if (!response.ok) throw new Error((await response.text()).trim());
    answer = await response.json();
  } catch (e) {
    if (e.name === "AbortError") return;
    if (id === seq) status(`the editor's server did not answer: ${e.message}`, "bad");
    return;
  } finally {
    if (inflight === controller) { inflight = null; document.body.dataset.busy = "0"; }
  }
  if (answer.stale || id !== seq) return;  // a newer edit is on its way
  shown = id;
  document.body.dataset.shown = String(id);
  show(answer, "text" in payload ? "text" : "controls", performance.now() - started);
}

function show(r, from, ms) {
  if (r.svg) setFigure(r.svg);
  $("figure").classList.toggle("stale", !!r.error);
  $("notes").textContent = (r.notes || []).map(n => "note: " + n).join("\n");
  if (from !== "text" && typeof r.text === "string" && $("spec").value !== r.text) {
    $("spec").value = r.text;
    gutter();
  }
  if (from !== "controls" && r.data && typeof r.data === "object") {
    const next = typeof r.data.style === "string" && C.styles[r.data.style] ? r.data.style : style;
    data = r.data;
    if (next !== style) { style = next; build(); }
    fill();
  }
  showError(r);
  if (r.error) status(`error (not saved; the file keeps the last spec that rendered): ${r.error}`, "bad");
  else if (from === "disk") status("the file changed on disk: shown", "good");
  else if (from === "other") status("changed in another page: shown", "good");
  else status(`${r.saved === false ? "unchanged" : "saved"}${ms !== undefined ? ` · rendered in ${Math.round(ms)} ms` : ""}`, "good");
  if (typeof r.version === "number") document.body.dataset.version = String(r.version);
}

function setFigure(svg) {
  const box = $("figure");
  box.innerHTML = svg;
  const root = box.querySelector("svg");
  if (root) { root.removeAttribute("width"); root.removeAttribute("height"); }
}

function showError(r) {
  lastError = r.error || null;
  for (const w of Object.values(widgets)) { w.err.textContent = ""; w.box.classList.remove("error"); }
  for (const row of document.querySelectorAll("#layer-rows > .layer-row")) { row.classList.remove("error"); row.querySelector(".layer-err").textContent = ""; }
  $("text-error").textContent = r.error ? (r.line ? `line ${r.line}: ` : "") + r.error : "";
  gutter(r.error ? r.line : null);
  if (!r.error || !r.field) return;
  const m = /^layers\.(\d+)$/.exec(r.field);
  if (m) {
    const row = document.querySelector(`#layer-rows > .layer-row[data-index="${m[1]}"]`);
    if (row) { row.classList.add("error"); row.querySelector(".layer-err").textContent = r.error; return; }
  }
  const w = widgets[m ? "layers" : r.field];
  if (w) { w.err.textContent = r.error; w.box.classList.add("error"); }
}

function gutter(bad) {
  if (bad === undefined) bad = lastErrorLine;
  lastErrorLine = bad;
  const n = $("spec").value.split("\n").length;
  const g = $("gutter");
  g.replaceChildren();
  for (let i = 1; i <= n; i++) {
    g.append(i === bad ? el("span", {class: "bad", id: "bad-line"}, String(i)) : String(i), "\n");
  }
  g.scrollTop = $("spec").scrollTop;
}
let lastErrorLine = null;

function status(text, kind) {
  const s = $("status");
  s.textContent = text;
  s.className = "status " + (kind || "");
}

function listen() {
  const events = new EventSource("events");
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.origin === client) return;  // this page's own edit, shown already
    if (pending || inflight) return;      // this page's newer edit will win
    show(event, event.origin === "disk" ? "disk" : "other");
  };
}

async function start() {
  const response = await fetch("state");
  if (!response.ok) { status(await response.text(), "bad"); return; }
  const state = await response.json();
  C = state.controls;
  $("file").textContent = state.file;
  $("text-format").textContent = `(${state.format})`;
  for (const name of Object.keys(C.styles)) $("style").append(el("option", {value: name}, name));
  for (const t of C.themes) $("theme").append(el("option", {value: t.name, title: t.description}, t.name));
  $("style").addEventListener("change", () => setStyle($("style").value));
  $("theme").addEventListener("change", () => change("theme", $("theme").value, true));
  const downloads = $("downloads");
  const scale = el("input", {type: "text", id: "png-scale", value: "2", title: "PNG scale (as --scale)"});
  for (const f of C.formats) {
    const link = el("a", {id: `download-${f.name}`, href: `download?format=${f.name}`, download: "",
                          title: `the file's figure as ${f.name.toUpperCase()}, as nnsvg render writes it`}, f.name.toUpperCase());
    if (f.raster) {
      const update = () => { link.href = `download?format=${f.name}&scale=${encodeURIComponent(scale.value)}`; };
      scale.addEventListener("input", update);
      update();
      downloads.append(link, el("label", {}, "×", scale));
    } else downloads.append(link);
  }
  const spec = $("spec");
  spec.addEventListener("input", () => { gutter(); schedule({text: spec.value}); });
  spec.addEventListener("scroll", () => { $("gutter").scrollTop = spec.scrollTop; });
  style = state.data && C.styles[state.data.style] ? state.data.style : "fcnn";
  data = state.data || {style, layers: C.styles[style].example.slice()};
  build();
  spec.value = state.text;
  show(state, "disk");
  status(state.error ? `error: ${state.error}` : "loaded", state.error ? "bad" : "good");
  listen();
  document.body.dataset.ready = "1";
}

start();
