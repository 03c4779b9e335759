// Events & inventory: one row per upcoming event with its sell-through; at-risk events stand out; a click
// opens the event's daily sales curve.
import { getJson } from '../api.js';
import { capitalize, formatDate, formatInt, formatPercent } from '../format.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, table } from '../ui.js';

function sellThroughBar(value) {
  const share = value == null ? 0 : Math.min(Math.max(value, 0), 1);
  return el('span', { class: 'bar', title: formatPercent(value) },
    el('span', { class: 'bar-fill', style: `width:${(share * 100).toFixed(1)}%` }),
    el('span', { class: 'bar-text', text: formatPercent(value) }));
}

function eventName(value, row) {
  return el('span', {}, row.atRisk ? el('span', { class: 'badge risk', title: 'Скоро, а продано меньше половины', text: 'риск' }) : null, value);
}

/** The daily sales curve of one event in a dialog, with its own CSV export. */
function openCurve(row, params) {
  const path = `/api/inventory/events/${encodeURIComponent(row.eventId)}/daily`;
  const curve = card(`${row.eventName} — ${capitalize(row.city)}: продажи по дням`, { csv: path, params, wide: true });
  const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Закрыть', text: '×' });
  const dialog = el('dialog', { class: 'curve', id: 'event-curve' }, close, curve.node);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  fill(curve.body, () => getJson(path, params), (data, body) => {
    if (data.rows.length) {
      let total = 0;
      chart(body, {
        data: {
          labels: data.rows.map((day) => formatDate(day.d)),
          datasets: [
            { type: 'bar', label: 'Билеты за день', data: data.rows.map((day) => day.tickets), backgroundColor: COLORS.tickets, yAxisID: 'daily' },
            { type: 'line', label: 'Билеты нарастающим итогом', data: data.rows.map((day) => (total += day.tickets)), borderColor: COLORS.revenue, backgroundColor: COLORS.revenue, pointRadius: 0, yAxisID: 'total' },
          ],
        },
        options: {
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: DAY_AXIS,
            daily: { position: 'left', beginAtZero: true, ticks: { precision: 0, callback: (value) => formatInt(value) } },
            total: { position: 'right', beginAtZero: true, grid: { display: false }, ticks: { precision: 0, callback: (value) => formatInt(value) } },
          },
        },
      }, 260);
    }
    body.append(table(data));
  });
}

export async function render({ root, params }) {
  const events = card('Предстоящие события', {
    csv: '/api/inventory/events', params, wide: true, id: 'inventory',
    note: 'Красным отмечены события, которые начинаются в ближайшие 14 дней с продажами меньше половины зала. Нажмите на строку, чтобы увидеть продажи по дням.',
  });
  root.append(el('div', { class: 'grid' }, events.node));
  await fill(events.body, () => getJson('/api/inventory/events', params), (data, body) => {
    const atRisk = data.rows.filter((row) => row.atRisk).length;
    body.append(
      el('p', { class: 'summary' }, `Событий: ${formatInt(data.rows.length)}, под риском: `, el('strong', { text: formatInt(atRisk) })),
      table(data, {
        cells: { eventName, sellThrough: sellThroughBar },
        rowClass: (row) => (row.atRisk ? 'at-risk' : null),
        onRowClick: (row) => openCurve(row, params),
        empty: 'Нет предстоящих событий',
      }));
  });
}
