// Building blocks shared by the pages: cards with CSV and XLSX downloads, KPI tiles, sortable tables with drill-down,
// charts with a text summary, status lights.
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

/**
 * A titled card. `csv` is the API path of the table the card shows: it gets two download links, CSV
 * (format=csv, as Russian Excel opens it) and XLSX (format=xlsx), both with the page's filters.
 */
export function card(title, { csv, params, wide, id, note } = {}) {
  const body = el('div', { class: 'card-body' }, el('div', { class: 'loading', text: 'Загрузка…' }));
  const head = el('div', { class: 'card-head' }, el('h2', { text: title }));
  if (csv) {
    for (const [format, label] of [['csv', 'CSV'], ['xlsx', 'XLSX']]) {
      head.append(el('a', {
        class: `export ${format}`, href: apiUrl(csv, params, { format }), download: '', 'data-csv': csv,
        title: `Скачать ${label} с текущими фильтрами`, 'aria-label': `${title}: скачать ${label}`, text: label,
      }));
    }
  }
  const node = el('section', { class: wide ? 'card wide' : 'card', id }, head, note ? el('p', { class: 'note', text: note }) : null, body);
  return { node, body };
}

/**
 * Fills a card's body from an API call. A failure shows in the card, in Russian, with a «Повторить» button
 * that asks again; a refused filter (a 400 naming its parameter) is also announced to the shell, which
 * shows the reason beside that filter.
 */
export async function fill(body, load, render) {
  try {
    const data = await load();
    body.replaceChildren();
    render(data, body);
  } catch (error) {
    if (error.parameter) window.dispatchEvent(new CustomEvent('zakaz:bad-filter', { detail: { parameter: error.parameter, reason: error.message } }));
    const retry = el('button', { type: 'button', class: 'retry', text: 'Повторить' });
    retry.addEventListener('click', () => {
      body.replaceChildren(el('div', { class: 'loading', text: 'Загрузка…' }));
      fill(body, load, render);
    });
    body.replaceChildren(el('div', { class: 'failed', role: 'alert' }, el('span', { text: `Не удалось загрузить: ${error.message}` }), ' ', retry));
  }
}

export function loadTable(path, params) { return getJson(path, params); }

const DRILL = {
  city: (value) => (value && value !== 'unknown' ? { city: value } : null),
  eventName: (value, row) => (row.eventId != null && row.eventId !== 0 ? { event: String(row.eventId) } : null),
  campaign: (value) => (value ? { campaign: value } : null),
};
const DRILL_HINT = { city: 'Показать только этот город', eventName: 'Показать только это событие', campaign: 'Показать только эту кампанию' };

/** How two raw values of a column compare: numbers as numbers, ISO dates as text, words as Russian words; empty last. */
function compareValues(type, left, right) {
  const empty = (value) => value == null || value === '';
  if (empty(left) || empty(right)) return empty(left) - empty(right);
  if (NUMERIC.has(type) || type === 'bool') return Number(left) - Number(right);
  if (type === 'date' || type === 'datetime') return String(left) < String(right) ? -1 : String(left) > String(right) ? 1 : 0;
  return String(left).localeCompare(String(right), 'ru', { numeric: true, sensitivity: 'base' });
}

/**
 * A table as the API gives it. Each cell carries its raw value in data-value (so what is shown can be compared
 * with the exports) and its column title in data-label (a phone shows each row as a card of label: value).
 * Options: `cells` overrides how a column is drawn; `rowClass` marks rows; `onRowClick`; `empty`;
 * `topN: 'key'` adds a Top N / Bottom N / all switch ranked by that column (`n`, default 10);
 * `drill` (default true; false or a list of keys) makes city, eventName (with row.eventId) and campaign cells
 * drill-down buttons. Every header sorts by a click (aria-sort), stable, in the column's own order.
 */
export function table(data, { cells = {}, rowClass, onRowClick, empty = 'Нет данных за выбранный период', topN, n = 10, drill: drillable = true } = {}) {
  if (!data.rows.length) return el('div', { class: 'empty', text: empty });
  const drillKeys = drillable === true ? Object.keys(DRILL) : drillable || [];
  const indexed = data.rows.map((row, index) => ({ row, index }));
  const state = { key: null, direction: 'none', show: 'all' };
  const tbody = el('tbody');
  const headers = data.columns.map((column) => {
    const button = el('button', { type: 'button', class: 'sort', text: column.title });
    const th = el('th', { class: NUMERIC.has(column.type) ? 'num' : null, 'data-key': column.key, 'aria-sort': 'none', scope: 'col' }, button);
    button.addEventListener('click', () => {
      // Figures and dates start from the largest (who leads); names from А.
      const first = NUMERIC.has(column.type) || column.type === 'date' || column.type === 'datetime' ? 'descending' : 'ascending';
      state.direction = state.key !== column.key ? first : state.direction === 'ascending' ? 'descending' : 'ascending';
      state.key = column.key;
      draw();
    });
    return th;
  });

  function cell(row, column) {
    const value = row[column.key];
    const td = el('td', {
      class: NUMERIC.has(column.type) ? 'num' : null,
      'data-key': column.key,
      'data-value': value == null ? '' : String(value),
      'data-label': column.title,
    });
    const custom = cells[column.key];
    let content;
    if (custom) content = custom(value, row, column);
    else if (column.key === 'city' && value) content = capitalize(value);
    // Identifiers are codes, not quantities: no digit grouping.
    else if (/Id$/.test(column.key) && value != null) content = String(value);
    else content = formatByType(column.type, value);
    const target = drillKeys.includes(column.key) ? DRILL[column.key]?.(value, row) : null;
    if (target) {
      const link = el('button', { type: 'button', class: 'drill', title: DRILL_HINT[column.key] }, content);
      link.addEventListener('click', (event) => { event.stopPropagation(); drill(target); });
      link.addEventListener('keydown', (event) => event.stopPropagation());
      td.append(link);
    } else {
      td.append(content);
    }
    return td;
  }

  function visibleRows() {
    let rows = indexed;
    if (topN && state.show !== 'all') {
      const type = data.columns.find((column) => column.key === topN)?.type;
      const ranked = rows.filter(({ row }) => row[topN] != null)
        .sort((a, b) => compareValues(type, b.row[topN], a.row[topN]) || a.index - b.index);
      rows = state.show === 'top' ? ranked.slice(0, n) : ranked.slice(-n).reverse();
    }
    if (state.key) {
      const type = data.columns.find((column) => column.key === state.key)?.type;
      const sign = state.direction === 'ascending' ? 1 : -1;
      rows = [...rows].sort((a, b) => {
        const order = compareValues(type, a.row[state.key], b.row[state.key]);
        // Empty values stay last whichever way the column is sorted; ties keep the API's order.
        const empty = (value) => value == null || value === '';
        if (empty(a.row[state.key]) || empty(b.row[state.key])) return order || a.index - b.index;
        return sign * order || a.index - b.index;
      });
    }
    return rows;
  }

  function draw() {
    for (const th of headers) th.setAttribute('aria-sort', th.dataset.key === state.key ? state.direction : 'none');
    tbody.replaceChildren(...visibleRows().map(({ row }) => {
      const tr = el('tr', { class: rowClass?.(row) });
      if (onRowClick) {
        tr.tabIndex = 0;
        tr.classList.add('clickable');
        tr.addEventListener('click', () => onRowClick(row));
        tr.addEventListener('keydown', (event) => { if (event.key === 'Enter') onRowClick(row); });
      }
      tr.append(...data.columns.map((column) => cell(row, column)));
      return tr;
    }));
  }
  draw();

  const wrap = el('div', { class: 'table-wrap' }, el('table', { class: 'data' }, el('thead', {}, el('tr', {}, headers)), tbody));
  if (!topN || data.rows.length <= n) return wrap;
  const title = data.columns.find((column) => column.key === topN)?.title ?? topN;
  const choices = [['top', `Лучшие ${n}`], ['bottom', `Худшие ${n}`], ['all', 'Все']];
  const switcher = el('div', { class: 'top-n', role: 'group', 'aria-label': `Показать по столбцу «${title}»` },
    choices.map(([show, label]) => {
      const button = el('button', { type: 'button', 'data-show': show, 'aria-pressed': String(show === state.show), text: label });
      button.addEventListener('click', () => {
        state.show = show;
        for (const other of switcher.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === button));
        draw();
      });
      return button;
    }));
  return el('div', { class: 'table-block' }, switcher, wrap);
}

/**
 * A table the API answers a page at a time (`data.page`: total, offset, limit), with a pager under
 * it; the card's CSV and XLSX hold every page. The server's order (newest day first) picks the page;
 * a header click sorts the rows of the page shown, not the whole table.
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

const summaryNumber = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });

/** "Выручка, ₽: всего 1 234 567, от 0 до 98 000 (30 значений)" per dataset: what the chart shows, in words. */
function describeChart(config) {
  const datasets = config.data?.datasets ?? [];
  return datasets.map((dataset) => {
    const values = (dataset.data ?? []).map((point) => (typeof point === 'object' && point !== null ? point.y : point))
      .filter((value) => typeof value === 'number' && Number.isFinite(value));
    if (!values.length) return `${dataset.label ?? 'Ряд'}: нет данных`;
    const total = values.reduce((sum, value) => sum + value, 0);
    return `${dataset.label ?? 'Ряд'}: всего ${summaryNumber.format(total)}, от ${summaryNumber.format(Math.min(...values))} до ${summaryNumber.format(Math.max(...values))} (${values.length} знач.)`;
  }).join('; ');
}

/**
 * A Chart.js chart in a fixed-height box; `Chart` is the UMD global served from /lib. The canvas is an image
 * with an accessible name (`label`, default the datasets' labels) and a text summary under it (`summary`,
 * default the datasets' totals, minimum and maximum), so a screen reader hears what the picture says.
 */
export function chart(container, config, height = 280, { label, summary } = {}) {
  if (!window.Chart) {
    container.append(el('div', { class: 'failed', text: 'Библиотека графиков не загрузилась' }));
    return null;
  }
  const name = label ?? `График: ${(config.data?.datasets ?? []).map((dataset) => dataset.label).filter(Boolean).join(', ') || 'данные'}`;
  const text = summary ?? describeChart(config);
  const canvas = el('canvas', { role: 'img', 'aria-label': name });
  container.append(
    el('div', { class: 'chart', style: `height:${height}px` }, canvas),
    el('p', { class: 'chart-summary visually-hidden', text }));
  const instance = new window.Chart(canvas, config);
  charts.add(instance);
  return instance;
}

export function setupChartDefaults() {
  if (!window.Chart) return;
  const defaults = window.Chart.defaults;
  defaults.locale = 'ru-RU';
  defaults.font.family = getComputedStyle(document.body).fontFamily;
  // Axis labels in the page's muted text colour (7:1 on white) and large enough to read on a phone.
  defaults.color = '#4a5563';
  defaults.font.size = 12;
  defaults.maintainAspectRatio = false;
  defaults.animation = false;
  defaults.plugins.legend.labels.boxWidth = 12;
  defaults.scale.grid.color = COLORS.grid;
}

/** A category axis of dd.MM.yyyy labels, ticked as dd.MM without rotation (the tooltip keeps the year). */
export const DAY_AXIS = {
  ticks: { maxRotation: 0, autoSkipPadding: 12, callback(value) { return this.getLabelForValue(value).slice(0, 5); } },
};
