// Building blocks shared by the pages: cards with a CSV button, KPI tiles, tables, charts, status lights.
import { apiUrl, getJson } from './api.js';
import { EMPTY, capitalize, formatByType, formatInt, formatPercent } from './format.js';

const NUMERIC = new Set(['int', 'money', 'ratio', 'percent']);
const charts = new Set();

export const COLORS = {
  revenue: '#1f4e8c', tickets: '#e08a1e', spend: '#c0392b', plan: '#7f8c8d', fact: '#1f4e8c',
  grid: 'rgba(0,0,0,0.06)',
};

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child != null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * Drill-down: narrows the global filters to a city, an event or a campaign, e.g. drill({ city: 'казань' }),
 * drill({ event: '190' }), drill({ campaign: 'autumn_kzn' }). The shell (main.js) listens, updates the URL
 * and the breadcrumb, and draws the page again.
 */
export function drill(filter) {
  window.dispatchEvent(new CustomEvent('zakaz:drill', { detail: filter }));
}

/** Forgets the charts of the previous render (Chart.js keeps listeners until destroyed). */
export function destroyCharts() {
  for (const chart of charts) chart.destroy();
  charts.clear();
}

/** A titled card; `csv` is the API path whose `format=csv` answer is exactly what the card shows. */
export function card(title, { csv, params, wide, id, note } = {}) {
  const body = el('div', { class: 'card-body' }, el('div', { class: 'loading', text: 'Загрузка…' }));
  const head = el('div', { class: 'card-head' }, el('h2', { text: title }));
  if (csv) {
    head.append(el('a', {
      class: 'csv', href: apiUrl(csv, params, { format: 'csv' }), download: '', 'data-csv': csv,
      title: 'Скачать CSV с текущими фильтрами', text: 'CSV',
    }));
  }
  const node = el('section', { class: wide ? 'card wide' : 'card', id }, head, note ? el('p', { class: 'note', text: note }) : null, body);
  return { node, body };
}

/** Fills a card's body from an API call; a failure shows in the card instead of breaking the page. */
export async function fill(body, load, render) {
  try {
    const data = await load();
    body.replaceChildren();
    render(data, body);
  } catch (error) {
    body.replaceChildren(el('div', { class: 'failed', text: `Не удалось загрузить: ${error.message}` }));
  }
}

export function loadTable(path, params) { return getJson(path, params); }

/**
 * A table as the API gives it. Each cell carries its raw value in data-value, so what is shown can be
 * compared with the CSV export; `cells` overrides how a column is drawn, `rowClass` marks rows.
 */
export function table(data, { cells = {}, rowClass, onRowClick, empty = 'Нет данных за выбранный период' } = {}) {
  if (!data.rows.length) return el('div', { class: 'empty', text: empty });
  const head = el('tr', {}, data.columns.map((column) =>
    el('th', { class: NUMERIC.has(column.type) ? 'num' : null, 'data-key': column.key, text: column.title })));
  const rows = data.rows.map((row) => {
    const tr = el('tr', { class: rowClass?.(row) });
    if (onRowClick) {
      tr.tabIndex = 0;
      tr.classList.add('clickable');
      tr.addEventListener('click', () => onRowClick(row));
      tr.addEventListener('keydown', (event) => { if (event.key === 'Enter') onRowClick(row); });
    }
    for (const column of data.columns) {
      const value = row[column.key];
      const td = el('td', {
        class: NUMERIC.has(column.type) ? 'num' : null,
        'data-key': column.key,
        'data-value': value == null ? '' : String(value),
        'data-label': column.title,
      });
      const custom = cells[column.key];
      if (custom) td.append(custom(value, row, column));
      else if (column.key === 'city' && value) td.textContent = capitalize(value);
      // Identifiers are codes, not quantities: no digit grouping.
      else if (/Id$/.test(column.key) && value != null) td.textContent = String(value);
      else td.textContent = formatByType(column.type, value);
      tr.append(td);
    }
    return tr;
  });
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data' }, el('thead', {}, head), el('tbody', {}, rows)));
}

/**
 * A table the API answers a page at a time (`data.page`: total, offset, limit), with a pager under
 * it; the card's CSV holds every page.
 */
export function pagedTable(body, path, params, data) {
  const { total, offset, limit } = data.page;
  const go = (to) => fill(body, () => getJson(path, withOffset(params, to)), (next) => pagedTable(body, path, params, next));
  body.append(table(data));
  if (total <= data.rows.length) return;
  const last = offset + data.rows.length;
  body.append(el('div', { class: 'pager' },
    el('button', { type: 'button', class: 'pager-prev', disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)), text: '← Назад' }),
    el('span', { class: 'pager-info', text: `Строки ${formatInt(offset + 1)}–${formatInt(last)} из ${formatInt(total)}` }),
    el('button', { type: 'button', class: 'pager-next', disabled: last >= total, onclick: () => go(last), text: 'Вперёд →' })));
}

function withOffset(params, offset) {
  const next = new URLSearchParams(params);
  next.set('offset', String(offset));
  return next;
}

/** KPI tiles: value, the previous period's value and the change; `lowerIsBetter` flips the colour. */
export function kpiTiles(kpis, definitions) {
  return el('div', { class: 'kpis' }, definitions.map((definition) => {
    const kpi = kpis.find((item) => item.key === definition.key) ?? { value: null, previous: null, changePct: null };
    const change = kpi.changePct;
    let trend = 'flat';
    if (change != null && change !== 0) {
      const up = change > 0;
      trend = up !== Boolean(definition.lowerIsBetter) ? 'good' : 'bad';
    }
    const arrow = change == null ? '' : change > 0 ? '▲ ' : change < 0 ? '▼ ' : '';
    return el('div', { class: 'kpi', 'data-kpi': definition.key, 'data-value': kpi.value == null ? '' : String(kpi.value) },
      el('div', { class: 'kpi-title', text: definition.title }),
      el('div', { class: 'kpi-value', text: formatByType(definition.type, kpi.value) }),
      el('div', { class: `kpi-change ${trend}` },
        el('span', { class: 'delta', text: change == null ? EMPTY : `${arrow}${formatPercent(Math.abs(change) / 100)}` }),
        el('span', { class: 'prev', text: ` было ${formatByType(definition.type, kpi.previous)}` })));
  }));
}

/** A plain informational tile (no comparison). */
export function infoTile(key, title, text, value) {
  return el('div', { class: 'kpi info', 'data-kpi': key, 'data-value': value == null ? '' : String(value) },
    el('div', { class: 'kpi-title', text: title }), el('div', { class: 'kpi-value', text }));
}

export function light(status, label) {
  return el('span', { class: `light ${status ?? 'none'}`, title: label ?? status ?? 'нет данных' },
    el('span', { class: 'dot' }), label ?? '');
}

/** A Chart.js chart in a fixed-height box; `Chart` is the UMD global served from /lib. */
export function chart(container, config, height = 280) {
  if (!window.Chart) {
    container.append(el('div', { class: 'failed', text: 'Библиотека графиков не загрузилась' }));
    return null;
  }
  const canvas = el('canvas');
  container.append(el('div', { class: 'chart', style: `height:${height}px` }, canvas));
  const instance = new window.Chart(canvas, config);
  charts.add(instance);
  return instance;
}

export function setupChartDefaults() {
  if (!window.Chart) return;
  const defaults = window.Chart.defaults;
  defaults.locale = 'ru-RU';
  defaults.font.family = getComputedStyle(document.body).fontFamily;
  defaults.color = '#4a5563';
  defaults.maintainAspectRatio = false;
  defaults.animation = false;
  defaults.plugins.legend.labels.boxWidth = 12;
  defaults.scale.grid.color = COLORS.grid;
}

/** A category axis of dd.MM.yyyy labels, ticked as dd.MM without rotation (the tooltip keeps the year). */
export const DAY_AXIS = {
  ticks: { maxRotation: 0, autoSkipPadding: 12, callback(value) { return this.getLabelForValue(value).slice(0, 5); } },
};
