// The live page: one EventSource, one render per snapshot. Every number carries its raw value in data-value (tests read it).
'use strict';
const fmt = new Intl.NumberFormat('en-US');
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, text) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };

function card(testid, label, value, shown) {
  const c = el('div', { class: 'card' });
  c.append(el('div', { class: 'label' }, label), el('div', { class: 'value', 'data-testid': testid, 'data-value': String(value) }, shown ?? fmt.format(value)));
  return c;
}

function bars(container, rows, testid) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  container.replaceChildren(...rows.map((r) => {
    const row = el('div', { class: 'row' });
    const bar = el('div', { class: 'bar' }); bar.style.width = `${(100 * r.value) / max}%`;
    row.append(el('span', {}, r.label), bar, el('span', { class: 'num', 'data-testid': `${testid}-${r.label}`, 'data-value': String(r.value) }, r.shown));
    return row;
  }));
}

let chart;
const range = { from: 0, to: 1 }; // the x axis spans the dashboard's range, even with a single window
function regionsChart(points, fromSec, toSec) {
  const times = [...new Set(points.map((p) => p.t))].sort((a, b) => a - b);
  const regions = [...new Set(points.map((p) => p.region))].sort();
  const at = new Map(points.map((p) => [`${p.t}|${p.region}`, p.events]));
  range.from = fromSec; range.to = toSec;
  const data = [times.map((t) => t / 1000), ...regions.map((r) => times.map((t) => at.get(`${t}|${r}`) ?? null))];
  const colors = ['#58a6ff', '#3fb950', '#d29922', '#f85149', '#bc8cff', '#39c5cf', '#ff9bce'];
  const width = $('regions-chart').clientWidth || 800;
  if (!chart || chart.series.length !== regions.length + 1) {
    chart?.destroy();
    chart = new uPlot({ width, height: 260, scales: { x: { time: true, range: () => [range.from, range.to] } }, series: [{}, ...regions.map((r, i) => ({ label: r, stroke: colors[i % colors.length], width: 2 }))],
      axes: [{ stroke: '#8a94a6', grid: { stroke: '#263040' } }, { stroke: '#8a94a6', grid: { stroke: '#263040' } }] }, data, $('regions-chart'));
  } else { chart.setSize({ width, height: 260 }); chart.setData(data); }
}

function render(s) {
  if (s.error) { $('updated').textContent = `error: ${s.error}`; return; }
  const { results: r, pipeline: p } = s;
  $('updated').textContent = new Date(s.atMs).toLocaleTimeString();
  $('updated').setAttribute('data-value', String(s.atMs));
  $('health').replaceChildren(...Object.entries(p.health).map(([name, ok]) => el('span', { class: `pill ${ok ? 'ok' : 'bad'}`, 'data-testid': `health-${name}`, 'data-value': String(ok) }, name)));
  const p99 = (sink) => (p.sinkLatencyP99Seconds[sink] == null ? '—' : `≤ ${Math.round(p.sinkLatencyP99Seconds[sink] * 1000)} ms`);
  $('pipeline-cards').replaceChildren(
    card('pipeline-produced-rate', 'produced / s', Math.round(p.producedPerSecond)), card('pipeline-in-rate', 'consumed / s', Math.round(p.recordsInPerSecond)),
    card('pipeline-out-rate', 'results written / s', Math.round(p.resultsPerSecond)), card('pipeline-lag', 'consumer lag', p.consumerLag),
    card('pipeline-watermark-delay', 'watermark delay', p.watermarkDelaySeconds ?? 0, p.watermarkDelaySeconds == null ? '—' : `${Math.round(p.watermarkDelaySeconds)} s`),
    card('pipeline-dead-letters', 'dead letters', p.deadLettered), card('pipeline-late', 'late events', p.lateEvents),
    card('pipeline-sink-pg', 'PostgreSQL p99', p.sinkLatencyP99Seconds.postgres ?? 0, p99('postgres')), card('pipeline-sink-es', 'Elasticsearch p99', p.sinkLatencyP99Seconds.elasticsearch ?? 0, p99('elasticsearch')));
  const purchases = r.revenueByRegion.reduce((n, x) => n + x.purchases, 0);
  const revenue = r.revenueByRegion.reduce((n, x) => n + x.revenue, 0);
  $('game-cards').replaceChildren(card('game-events', 'live event count', r.gameEvents), card('game-purchases', 'purchases', purchases), card('game-revenue', 'revenue', Math.round(revenue * 100) / 100, money.format(revenue)));
  regionsChart(r.eventsPerRegion, (s.atMs - s.rangeMs) / 1000, s.atMs / 1000 + 60);
  bars($('revenue-bars'), r.revenueByRegion.map((x) => ({ label: x.region, value: x.revenue, shown: `${money.format(x.revenue)} (${fmt.format(x.purchases)})` })), 'revenue');
  const shopRevenue = r.categories.reduce((n, x) => n + x.revenue, 0);
  $('shop-cards').replaceChildren(card('shop-views', 'product views', r.productViews), card('shop-events', 'category events', r.categories.reduce((n, x) => n + x.events, 0)), card('shop-revenue', 'revenue', Math.round(shopRevenue * 100) / 100, money.format(shopRevenue)));
  bars($('category-bars'), r.categories.map((x) => ({ label: x.category, value: x.revenue, shown: `${money.format(x.revenue)} · ${fmt.format(x.events)} ev` })), 'category');
  $('funnel').querySelector('tbody').replaceChildren(...r.funnel.map((f) => {
    const tr = el('tr');
    const conversion = f.views ? `${((100 * f.purchases) / f.views).toFixed(1)} %` : '—';
    tr.append(el('td', {}, f.category), ...['views', 'clicks', 'carts', 'purchases'].map((k) => el('td', { 'data-testid': `funnel-${f.category}-${k}`, 'data-value': String(f[k]) }, fmt.format(f[k]))), el('td', {}, conversion));
    return tr;
  }));
  $('top-products').replaceChildren(...r.topProducts.map((t) => el('li', { 'data-testid': `top-${t.productId}`, 'data-value': String(t.views) }, `${t.productId} — ${fmt.format(t.views)}`)));
}

new EventSource('/api/stream').onmessage = (e) => render(JSON.parse(e.data));
