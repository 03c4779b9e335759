// Events & inventory: one row per upcoming event with its sell-through; events at risk come first and stand out;
// a click (or Enter) on a row opens the event's daily sales curve, Escape closes it and focus returns to the row.
import { getJson } from '../api.js';
import { formatDate, formatInt, formatPercent } from '../format.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, table } from '../ui.js';
import { eventLabel } from './common.js';

function sellThroughBar(value) {
  const share = value == null ? 0 : Math.min(Math.max(value, 0), 1);
  return el('span', { class: 'bar', title: formatPercent(value) },
    el('span', { class: 'bar-fill', style: `width:${(share * 100).toFixed(1)}%` }),
    el('span', { class: 'bar-text', text: formatPercent(value) }));
}

function eventName(value, row) {
  return el('span', {},
    row.atRisk ? el('span', { class: 'badge risk', title: row.riskReason, text: 'риск' }) : null,
    eventLabel(value, row.city));
}

function daysUntilShow(value) {
  return document.createTextNode(value == null ? '—' : value === 0 ? 'идёт' : formatInt(value));
}

/** The daily sales curve of one event in a modal dialog, with its own CSV export; closing it returns focus to `opener`. */
function openCurve(row, params, opener) {
  const path = `/api/inventory/events/${encodeURIComponent(row.eventId)}/daily`;
  const name = eventLabel(row.eventName, row.city);
  const curve = card(`${name}: продажи по дням`, { csv: path, params, wide: true });
  const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Закрыть', text: '×' });
  const dialog = el('dialog', { class: 'curve', id: 'event-curve', 'aria-label': `${name}: продажи по дням` }, close, curve.node);
  // The title takes the focus: on the close button (the first focusable) the Enter that opened the dialog would close it again.
  const title = curve.node.querySelector('h2');
  title.tabIndex = -1;
  title.autofocus = true;
  close.addEventListener('click', () => dialog.close());
  // Escape closes a modal <dialog> natively (its cancel event, then close).
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  fill(curve.body, () => getJson(path, params), (data, body) => {
    if (data.rows.length) {
      let total = 0;
      const cumulative = data.rows.map((day) => (total += day.tickets));
      chart(body, {
        data: {
          labels: data.rows.map((day) => formatDate(day.d)),
          datasets: [
            { type: 'bar', label: 'Билеты за день', data: data.rows.map((day) => day.tickets), backgroundColor: COLORS.tickets, yAxisID: 'daily' },
            { type: 'line', label: 'Билеты нарастающим итогом', data: cumulative, borderColor: COLORS.revenue, backgroundColor: COLORS.revenue, pointRadius: 0, yAxisID: 'total' },
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
      }, 260, {
        label: `${name}: билеты по дням`,
        summary: `С ${formatDate(data.rows[0].d)} по ${formatDate(data.rows[data.rows.length - 1].d)} продано ${formatInt(total)} билетов`,
      });
    }
    body.append(table(data));
  });
}

export async function render({ root, params }) {
  const events = card('Предстоящие события', {
    csv: '/api/inventory/events', params, wide: true, id: 'inventory',
    note: 'Под угрозой — события, которые по текущему темпу продаж (билеты за 7 дней) не распродадутся до последнего показа, '
      + 'или где за 7 дней не продано ни одного билета, а билеты остались. Они стоят первыми, затем — ближайшие. '
      + 'Нажмите на строку (или Enter), чтобы увидеть продажи по дням.',
  });
  root.append(el('div', { class: 'grid' }, events.node));
  await fill(events.body, () => getJson('/api/inventory/events', params), (data, body) => {
    const atRisk = data.rows.filter((row) => row.atRisk).length;
    body.append(
      el('p', { class: 'summary' }, `Событий: ${formatInt(data.rows.length)}, под угрозой: `, el('strong', { text: formatInt(atRisk) })),
      table(data, {
        cells: {
          eventName, sellThrough: sellThroughBar, daysUntilShow,
          riskReason: (value) => document.createTextNode(value || '—'),
        },
        rowClass: (row) => (row.atRisk ? 'at-risk' : null),
        onRowClick: (row) => openCurve(row, params, document.activeElement),
        empty: 'Нет предстоящих событий',
      }));
  });
}
