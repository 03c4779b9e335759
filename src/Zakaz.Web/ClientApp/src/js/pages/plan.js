// Plan vs fact: per event and city, plan and fact tickets and revenue with the difference; cumulative curves.
import { getJson } from '../api.js';
import { formatByType, formatDate, formatInt, formatMoney, formatMoneyShort } from '../format.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, table } from '../ui.js';

function cumulative(body, rows, planKey, factKey, format, formatTick) {
  chart(body, {
    type: 'line',
    data: {
      labels: rows.map((row) => formatDate(row.d)),
      datasets: [
        { label: 'План', data: rows.map((row) => row[planKey]), borderColor: COLORS.plan, backgroundColor: COLORS.plan, borderDash: [6, 4], pointRadius: 0 },
        { label: 'Факт', data: rows.map((row) => row[factKey]), borderColor: COLORS.fact, backgroundColor: COLORS.fact, pointRadius: 0 },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { x: DAY_AXIS, y: { beginAtZero: true, ticks: { precision: 0, callback: (value) => formatTick(value) } } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.raw)}` } } },
    },
  }, 240);
}

/** A difference with its sign, red when behind plan. */
function signed(value, row, column) {
  const text = formatByType(column.type, value);
  return el('span', { class: value == null ? null : value < 0 ? 'neg' : 'pos', text: value > 0 ? `+${text}` : text });
}

export async function render({ root, params }) {
  const revenue = card('Выручка нарастающим итогом: план и факт', { csv: '/api/plan/cumulative', params });
  const tickets = card('Билеты нарастающим итогом: план и факт', { csv: '/api/plan/cumulative', params });
  const rows = card('План и факт по событиям и городам', { csv: '/api/plan/rows', params, wide: true, id: 'plan-rows' });
  root.append(el('div', { class: 'grid' }, revenue.node, tickets.node, rows.node));
  const cumulativeData = getJson('/api/plan/cumulative', params);
  await Promise.all([
    fill(revenue.body, () => cumulativeData, (data, body) => {
      if (data.rows.length) cumulative(body, data.rows, 'planRevenueCum', 'factRevenueCum', formatMoney, formatMoneyShort);
      else body.append(table(data));
    }),
    fill(tickets.body, () => cumulativeData, (data, body) => {
      if (data.rows.length) cumulative(body, data.rows, 'planTicketsCum', 'factTicketsCum', formatInt, formatInt);
      else body.append(table(data));
    }),
    fill(rows.body, () => getJson('/api/plan/rows', params), (data, body) => body.append(table(data, {
      cells: { diff: signed, diffPct: signed },
      empty: 'Нет плана на выбранный период',
    }))),
  ]);
}
