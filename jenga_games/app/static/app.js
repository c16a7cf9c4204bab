// jenga app: a small hand-written front end (no framework, no CDN). Everything is computed
// by the Python library on the server; this file draws and sends clicks.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k === "html") e.innerHTML = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};
const SVG = "http://www.w3.org/2000/svg";
const sv = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};
const fmt = (x, d = 3) => (x === null || x === undefined ? "–" : Number(x).toPrecision(d).replace(/\.?0+$/, (m) => (m.startsWith(".") ? "" : m)));
const money = (x) => (x === null || x === undefined ? "–" : Number(x).toFixed(2));

function showError(msg) {
  const box = $("#error");
  if (!msg) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = msg;
}

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const res = await fetch(path, opts);
  let data;
  try { data = await res.json(); } catch (e) { data = { error: `the server answered ${res.status}` }; }
  if (data && data.error) { showError(data.error); throw new Error(data.error); }
  showError("");
  return data;
}

// ---- tabs ------------------------------------------------------------------------
const TABS = ["explore", "thresholds", "play", "exercises"];
function selectTab(name) {
  for (const t of TABS) {
    $(`#tab-${t}`).setAttribute("aria-selected", String(t === name));
    $(`#view-${t}`).hidden = t !== name;
  }
  if (name === "thresholds" && !TH.loaded) { TH.loaded = true; updateThresholds(); }
  if (name === "exercises" && !EX.loaded) loadExercises();
}
TABS.forEach((t, i) => {
  const b = $(`#tab-${t}`);
  b.addEventListener("click", () => selectTab(t));
  b.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      const j = (i + (ev.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length;
      $(`#tab-${TABS[j]}`).focus(); selectTab(TABS[j]);
    }
  });
});

// ---- drawing a tower ---------------------------------------------------------------
function textColour(hex) {
  const n = parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b < 140 ? "#fff" : "#000";
}

function drawTower(svg, tower, blocks, opts = {}) {
  // tower: static summary; blocks: id -> {status, fraction, round}; opts.onPick(id), opts.legal (Set)
  svg.replaceChildren();
  const W = 760, H = 540, pad = 6;
  const defs = sv("defs");
  const pat = sv("pattern", { id: `hatch-${svg.id}`, width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  pat.append(sv("rect", { width: 8, height: 8, fill: "#fff", "fill-opacity": 0.55 }), sv("line", { x1: 0, y1: 0, x2: 0, y2: 8, stroke: "#000", "stroke-width": 1.5 }));
  defs.append(pat);
  svg.append(defs);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const colour = {};
  for (const p of tower.providers) colour[String(p.id)] = p.colour;
  const rows = new Map();
  for (const b of tower.blocks) {
    if (!rows.has(b.layer)) rows.set(b.layer, []);
    rows.get(b.layer).push(b);
  }
  const layers = [...rows.keys()].sort((a, b) => a - b);
  const rh = Math.min(80, (H - 2 * pad) / layers.length);
  layers.forEach((layer, li) => {
    const row = rows.get(layer);
    const bw = (W - 2 * pad) / row.length;
    const y = H - pad - (li + 1) * rh;
    row.forEach((b, k) => {
      const st = (blocks && blocks[String(b.id)]) || { status: "standing", fraction: 1 };
      const x = pad + k * bw;
      const fill = b.provider === null ? tower.no_provider_colour : colour[String(b.provider)];
      const legal = opts.legal ? opts.legal.has(String(b.id)) : true;
      const g = sv("g", {
        class: `block ${st.status}${opts.legal ? (legal ? " legal" : " dim") : ""}`,
        "data-id": String(b.id), tabindex: opts.onPick && legal ? 0 : -1, role: opts.onPick ? "button" : "img",
        "aria-label": `${b.label}${b.provider !== null ? ", " + b.provider : ""}: ${st.status}` +
          (st.status === "partial" ? ` (${Math.round(st.fraction * 100)}% left)` : "") +
          (st.round ? `, fell in round ${st.round}` : ""),
      });
      g.append(sv("rect", { x: x + 1.5, y: y + 1.5, width: bw - 3, height: rh - 3, rx: 3, fill }));
      if (st.status === "fell") g.append(sv("rect", { class: "hatch", x: x + 1.5, y: y + 1.5, width: bw - 3, height: rh - 3, rx: 3, fill: `url(#hatch-${svg.id})` }));
      const t = sv("text", { x: x + bw / 2, y: y + rh / 2 + 4, "text-anchor": "middle", fill: st.status === "removed" ? "#000" : textColour(fill) });
      if (st.status === "fell") t.setAttribute("class", "fell-label");
      let prefix = "";
      if (st.status === "fell") prefix = `✕${st.round} `;
      if (st.status === "removed") prefix = "out: ";
      if (st.status === "partial") prefix = `${Math.round(st.fraction * 100)}% `;
      const maxch = Math.max(3, Math.floor(bw / 7) - prefix.length);
      const label = prefix + (b.label.length > maxch ? b.label.slice(0, maxch - 1) + "…" : b.label);
      t.textContent = label;
      if (b.critical) t.setAttribute("font-weight", "700");
      g.append(t);
      const title = sv("title");
      title.textContent = `${b.label} (${b.id}); provider ${b.provider}; needs ${b.rule} of ${b.supporters.join(", ") || "nothing (ground)"}` + (st.reason ? `; fell: ${st.reason}` : "");
      g.append(title);
      if (opts.onPick && legal) {
        g.addEventListener("click", () => opts.onPick(b.id));
        g.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); opts.onPick(b.id); }
        });
      }
      svg.append(g);
    });
  });
}

function drawLegend(box, tower) {
  box.replaceChildren(...tower.providers.map((p) =>
    el("span", {}, el("span", { class: "swatch", style: `background:${p.colour}` }), p.label)));
}

// ---- Explore ----------------------------------------------------------------------
const EXP = { key: null, tower: null, state: new Map(), history: [], view: null };

function stateList() { return [...EXP.state.entries()]; }

async function openExample(key) {
  const data = await api("/api/tower/open", { example: key });
  loadTower(data);
}

function loadTower(data) {
  EXP.key = data.key; EXP.tower = data.tower; EXP.state = new Map(); EXP.history = [];
  $("#analysis").replaceChildren();
  drawLegend($("#legend"), EXP.tower);
  renderExplore(data.view);
}

async function refreshExplore() {
  const t0 = performance.now();
  const view = await api("/api/explore", { key: EXP.key, state: stateList() });
  renderExplore(view);
  await new Promise((r) => requestAnimationFrame(() => r()));
  window.__lastRedrawMs = performance.now() - t0;
}

function pick(id) {
  EXP.history.push(new Map(EXP.state));
  const k = id;
  if (EXP.state.has(k)) EXP.state.delete(k);   // a second click puts it back
  else if ($("#mode-fraction").checked) {
    const f = Math.min(1, Math.max(0, Number($("#fraction").value)));
    EXP.state.set(k, f);
  } else EXP.state.set(k, 0);
  refreshExplore().catch(() => {});
}

function renderExplore(view) {
  EXP.view = view;
  $("#undo").disabled = EXP.history.length === 0;
  drawTower($("#tower"), EXP.tower, view.blocks, { onPick: pick });
  const labels = Object.fromEntries(EXP.tower.blocks.map((b) => [String(b.id), b.label]));
  const nfell = view.rounds.reduce((n, r) => n + r.length, 0);
  const status = $("#status");
  status.dataset.status = view.status;
  status.className = view.status === "standing" ? "ok-text" : "fell-text";
  status.textContent = view.status === "standing" ? "The tower stands." :
    `${view.status === "collapsed" ? "Collapse" : "Something fell"}: ${nfell} block${nfell === 1 ? "" : "s"} fell in ${view.rounds.length} round${view.rounds.length === 1 ? "" : "s"}` +
    (view.failed_providers.length ? `; failed providers: ${view.failed_providers.join(", ")}` : "") + ".";
  $("#rounds").replaceChildren(...view.rounds.map((r, i) => {
    const li = el("li", { "data-round": String(i + 1) }, `Round ${i + 1}`);
    li.append(el("ul", {}, ...r.map((b) => el("li", { "data-block": String(b.id) },
      el("strong", { text: labels[String(b.id)] || String(b.id) }), " ",
      el("span", { class: "reason", text: b.reason.text })))));
    return li;
  }));
  if (!view.rounds.length) $("#rounds").append(el("li", { class: "reason", text: "nothing fell" }));
  const provLabel = Object.fromEntries(EXP.tower.providers.map((p) => [String(p.id), p]));
  $("#providers tbody").replaceChildren(...view.providers.map((p) => {
    const info = provLabel[String(p.id)];
    return el("tr", { "data-provider": String(p.id) },
      el("td", {}, el("span", { class: "swatch", style: `background:${info.colour}` }), info.label + (p.failed ? " (failed)" : "")),
      el("td", { class: "num" + (p.balance < 0 ? " fell-text" : ""), text: money(p.balance) }),
      el("td", { class: "num", text: money(info.balance_intact) }),
      el("td", { class: "num", text: p.headroom_fraction === null ? "–" : (100 * p.headroom_fraction).toFixed(2) + "%" }));
  }));
  const m = view.money;
  const rows = [
    ["Contribution lost Σ a(p − c)", money(m.value_lost)],
    ["Fixed cost stranded", money(m.stranded_fixed_cost)],
    ["Spend lost Σ a·p (fell)", money(m.spend_lost)],
    ["Spend moved out (planned)", money(m.spend_moved)],
    ["Spend still provided", `${money(m.surviving_spend)} of ${money(m.total_spend)}`],
  ];
  for (const [unit, a] of Object.entries(view.activity_by_unit || {})) {
    rows.push([`Activity lost / still provided (${unit})`, `${fmt(a.lost, 4)} / ${fmt(a.surviving, 4)} of ${fmt(a.total, 4)}`]);
  }
  if (view.health) rows.push([`Health lost (${view.health.measure})`, fmt(view.health.lost, 4)]);
  $("#money").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
}

async function analyse(kind) {
  const data = await api("/api/analyse", { key: EXP.key, kind });
  const box = $("#analysis");
  document.querySelectorAll("#tower .block").forEach((g) => g.classList.remove("safe", "weak"));
  if (kind === "safe") {
    const ids = new Set(data.blocks.map(String));
    document.querySelectorAll("#tower .block").forEach((g) => { if (ids.has(g.dataset.id)) g.classList.add("safe"); });
    box.replaceChildren(el("p", { text: `Largest safe set (${data.status}): ${data.blocks.length} blocks can go with nothing falling, outlined in green: ${data.blocks.join(", ")}.` }));
  } else {
    const ids = new Set(data.blocks.map((b) => String(b.id)));
    document.querySelectorAll("#tower .block").forEach((g) => { if (ids.has(g.dataset.id)) g.classList.add("weak"); });
    const tb = el("tbody", {}, ...data.blocks.map((b) => el("tr", {}, el("td", { text: String(b.id) }),
      el("td", { class: "num", text: String(b.n_fell) }), el("td", { class: "num", text: money(b.value_lost) }),
      el("td", { text: b.collapsed ? "collapse" : "" }))));
    box.replaceChildren(el("p", { text: "Weakest blocks (outlined in purple): what falls if each alone goes." }),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: "Block" }), el("th", { text: "Fall" }), el("th", { text: "Lost (£ m)" }), el("th", { text: "" }))), tb));
  }
}

$("#open-example").addEventListener("click", () => openExample($("#example").value).catch(() => {}));
$("#undo").addEventListener("click", () => {
  if (!EXP.history.length) return;
  EXP.state = EXP.history.pop();
  refreshExplore().catch(() => {});
});
$("#reset").addEventListener("click", () => { EXP.history.push(new Map(EXP.state)); EXP.state = new Map(); refreshExplore().catch(() => {}); });
$("#safe").addEventListener("click", () => analyse("safe").catch(() => {}));
$("#weakest").addEventListener("click", () => analyse("weakest").catch(() => {}));
$("#file").addEventListener("change", async (ev) => {
  const f = ev.target.files[0];
  if (!f) return;
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  try { loadTower(await api("/api/tower/upload", { filename: f.name, content_b64: btoa(bin) })); } catch (e) { /* shown */ }
});

// ---- Thresholds -------------------------------------------------------------------
const TH = { loaded: false, timer: null, seq: 0 };
const SLIDERS = [["collapse", "collapse_cost"], ["shared", "shared_cost"], ["funding", "funding"], ["discount", "discount"]];
function thParams() {
  const p = {};
  for (const [id, key] of SLIDERS) p[key] = Number($(`#s-${id}`).value);
  return p;
}
async function updateThresholds() {
  const seq = ++TH.seq;
  await ensureWorked();
  const data = await api("/api/thresholds", thParams());
  if (seq !== TH.seq) return;   // a newer slider position is on its way
  drawTower($("#th-tower"), PLAY.tower, data.blocks, {});
  const out = $("#th-outcome");
  out.dataset.fell = String(data.fell);
  out.dataset.funding = String(data.params.funding);
  out.className = data.fell ? "fell-text" : "ok-text";
  out.textContent = data.fell ?
    `Competitive play topples the tower (${data.toppled_by} makes it fall); contribution lost £${money(data.value_lost)} m a year.` :
    `Competitive play leaves the tower standing: ${data.removed.length} blocks move out safely.`;
  if (data.funded_providers.length) out.textContent += ` Funding goes to: ${data.funded_providers.join(", ")}.`;
  $("#th-payoffs tbody").replaceChildren(...Object.entries(data.payoffs).map(([p, v]) =>
    el("tr", {}, el("td", { text: p }), el("td", { class: "num", text: money(v) }))));
  $("#th-moves").replaceChildren(...data.moves.map((m) =>
    el("li", { class: m.toppled ? "fell-text" : "", text: `${m.player}: ${m.block === null ? "pass" : m.block}${m.toppled ? " — the tower falls" : ""}` })));
}
for (const [id] of SLIDERS) {
  const s = $(`#s-${id}`);
  s.addEventListener("input", () => {
    $(`#o-${id}`).textContent = s.value;
    clearTimeout(TH.timer);
    TH.timer = setTimeout(() => updateThresholds().catch(() => {}), 120);
  });
}
$("#find-switches").addEventListener("click", async () => {
  const p = thParams();
  const box = $("#switches");
  box.replaceChildren(el("li", { text: "computing (a few seconds)…" }));
  try {
    const data = await api("/api/switches", p);
    const names = { collapse_cost: "Collapse cost C", discount: "Discount δ", funding: "Funding" };
    box.replaceChildren(...Object.entries(data).map(([k, sw]) => el("li", { "data-param": k,
      text: `${names[k]}: ` + (sw.length ? sw.map((s) => `${s.change} at ${fmt(s.value, 4)}`).join("; ") : "no switch on the grid") })));
  } catch (e) { box.replaceChildren(); }
});

// ---- Play -------------------------------------------------------------------------
const PLAY = { id: null, token: null, view: null, timer: null, tower: null };

async function ensureWorked() {
  if (!PLAY.tower) PLAY.tower = (await api("/api/tower/open", { example: "worked" })).tower;
}

async function startGame(hosted) {
  await ensureWorked();
  const n = Number($("#n-players").value);
  const data = await api("/api/game", { players: n, opponent: $("#opponent").value, hosted });
  PLAY.id = data.id; PLAY.token = data.token;
  if (hosted) {
    const info = await api("/api/info");
    const local = ["127.0.0.1", "localhost", "[::1]"].includes(location.hostname);
    const where = info.lan_host && local ? `${info.lan_host}:${location.port}` : location.host;
    const link = `${location.protocol}//${where}/?join=${data.id}`;
    const p = $("#host-link");
    p.hidden = false;
    p.replaceChildren("Students join at ", el("a", { href: link, id: "join-link", text: link }),
      " (run ", el("code", { text: "jenga app --host 0.0.0.0" }), " so the class's network can reach it).");
  } else $("#host-link").hidden = true;
  renderGame(data.view);
}

async function joinGame(id) {
  await ensureWorked();
  const data = await api(`/api/game/${id}/join`, { name: $("#join-name").value });
  PLAY.id = data.id; PLAY.token = data.token;
  $("#join-box").hidden = true;
  renderGame(data.view);
}

async function move(block) {
  try { renderGame(await api(`/api/game/${PLAY.id}/move`, { token: PLAY.token, block })); } catch (e) { /* shown */ }
}

async function poll() {
  if (!PLAY.id) return;
  try { renderGame(await api(`/api/game/${PLAY.id}?token=${encodeURIComponent(PLAY.token || "")}`)); } catch (e) { /* shown */ }
}

function renderGame(v) {
  PLAY.view = v;
  $("#board").hidden = false;
  clearTimeout(PLAY.timer);
  if (!v.over && !v.your_turn) PLAY.timer = setTimeout(poll, 800);
  const legal = new Set(v.your_turn ? v.legal.filter((b) => b !== null).map(String) : []);
  drawTower($("#play-tower"), PLAY.tower, v.blocks, { onPick: (id) => move(id), legal });
  drawLegend($("#play-legend"), PLAY.tower);
  const turn = $("#turn");
  turn.dataset.over = String(v.over);
  turn.dataset.turn = v.turn || "";
  turn.dataset.yourTurn = String(v.your_turn);
  turn.textContent = v.over ? (v.fell ? `Game over: ${v.toppled_by} toppled the tower.` : "Game over: the tower stands.") :
    (v.your_turn ? `Your turn (${v.turn}): pick one of your outlined blocks, or pass.` : `Waiting for ${v.turn}…`);
  $("#pass").disabled = !v.your_turn || !v.legal.includes(null);
  $("#players tbody").replaceChildren(...v.players.map((p) => el("tr", { "data-player": p.name },
    el("td", { text: p.name + (v.your_seats.includes(p.seat) ? " (you)" : "") }), el("td", { text: p.who }),
    el("td", { class: "num", text: money(p.payoff) }))));
  const coach = $("#coach");
  coach.hidden = !$("#coach-on").checked || !v.coach.length;
  coach.querySelector("tbody").replaceChildren(...v.coach.map((c) => el("tr", { class: c.best ? "best" : "", "data-move": c.block === null ? "pass" : String(c.block) },
    el("td", { text: c.block === null ? "pass" : String(c.block) }), el("td", { class: "num", text: money(c.value) }),
    el("td", { text: (c.best ? "equilibrium move" : "") + (c.topples ? " topples the tower" : "") }))));
  $("#moves").replaceChildren(...v.moves.map((m) => el("li", { class: m.toppled ? "fell-text" : "",
    text: `${m.player}: ${m.block === null ? "pass" : m.block}${m.toppled ? " — the tower falls" : ""}` })));
  const cmp = $("#compare");
  cmp.replaceChildren();
  if (v.compare) {
    const names = v.players.map((p) => p.name);
    const rows = [["Your play", v.compare.yours], ["Subgame-perfect (SPE)", v.compare.spe], ["Cooperative optimum", v.compare.cooperative]];
    cmp.append(el("h2", { text: "Your play beside the equilibrium and the cooperative optimum" }),
      el("table", { id: "compare-table" },
        el("thead", {}, el("tr", {}, el("th", { text: "Play" }), ...names.map((n) => el("th", { text: n })), el("th", { text: "Total" }), el("th", { text: "Fell" }), el("th", { text: "Lost (£ m)" }))),
        el("tbody", {}, ...rows.map(([label, r]) => el("tr", { "data-play": label },
          el("td", { text: label }), ...names.map((n) => el("td", { class: "num", "data-payoff": n, text: money(r.payoffs[n]) })),
          el("td", { class: "num", text: money(r.total) }), el("td", { text: r.fell ? "yes" : "no" }),
          el("td", { class: "num", text: money(r.value_lost) }))))));
  }
}

$("#start-game").addEventListener("click", () => startGame(false).catch(() => {}));
$("#host-game").addEventListener("click", () => startGame(true).catch(() => {}));
$("#pass").addEventListener("click", () => move(null));
$("#coach-on").addEventListener("change", () => PLAY.view && renderGame(PLAY.view));
$("#join-game").addEventListener("click", () => joinGame(new URLSearchParams(location.search).get("join")).catch(() => {}));

// ---- Exercises --------------------------------------------------------------------
const EX = { loaded: false, current: null };
async function loadExercises() {
  EX.loaded = true;
  const data = await api("/api/exercises");
  $("#ex-type").replaceChildren(...data.types.map((t) => el("option", { value: t.name, text: `${t.name} (level ${t.level}): ${t.summary}` })));
}
$("#ex-make").addEventListener("click", async () => {
  const body = { type: $("#ex-type").value, seed: Number($("#ex-seed").value), difficulty: Number($("#ex-difficulty").value) };
  try {
    const ex = await api("/api/exercise", body);
    EX.current = body;
    $("#ex-statement").innerHTML = `<h2>${ex.title}</h2>` + ex.statement_html;
    if (ex.figure) $("#ex-statement").prepend(el("img", { src: ex.figure, alt: "The exercise's tower, drawn", class: "ex-figure" }));
    $("#ex-format").textContent = `(${ex.answer_format})`;
    $("#ex-form").hidden = false;
    $("#ex-answer").value = "";
    $("#ex-verdict").textContent = "";
    $("#ex-solution").hidden = true;
  } catch (e) { /* shown */ }
});
$("#ex-check").addEventListener("click", async () => {
  if (!EX.current) return;
  try {
    const r = await api("/api/exercise/check", { ...EX.current, answer: $("#ex-answer").value });
    const v = $("#ex-verdict");
    v.dataset.ok = String(r.ok);
    v.className = r.ok ? "ok-text" : "fell-text";
    v.textContent = (r.ok ? "Right. " : "Not yet: ") + r.message;
    const sol = $("#ex-solution");
    sol.hidden = false;
    sol.querySelector("div").innerHTML = r.solution_html + `<p><strong>Answer:</strong> <code>${r.answer.replace(/</g, "&lt;")}</code></p>`;
  } catch (e) { /* shown */ }
});

// ---- start ------------------------------------------------------------------------
(async function init() {
  const data = await api("/api/examples");
  $("#example").replaceChildren(...data.examples.map((e) => el("option", { value: e.key, text: e.title })));
  await openExample("worked");
  const join = new URLSearchParams(location.search).get("join");
  if (join) {
    selectTab("play");
    $("#play-setup").hidden = true;
    $("#join-box").hidden = false;
  }
  document.body.dataset.ready = "true";
})().catch(() => {});
