// Plan vs fact: whether a plan is loaded at all; the plan to date (up to today) beside the period's target;
// per event and city, plan and fact with the difference; cumulative curves whose fact stops at today.
import { getJson } from '../api.js';
import { formatByType, formatDate, formatInt, formatMoney, formatMoneyShort, formatPercent } from '../format.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, infoTile, table } from '../ui.js';
import { eventCell } from './common.js';

function cumulative(body, rows, planKey, factKey, format, formatTick, what) {
  const last = rows[rows.length - 1];
  const lastFact = [...rows].reverse().find((row) => row[factKey] != null);
  chart(body, {
    type: 'line',
    data: {
      labels: rows.map((row) => formatDate(row.d)),
      datasets: [
        { label: 'План', data: rows.map((row) => row[planKey]), borderColor: COLORS.plan, backgroundColor: COLORS.plan, borderDash: [6, 4], pointRadius: 0 },
        // The fact is null after today: the line stops there instead of running flat into the future.
        { label: 'Факт', data: rows.map((row) => row[factKey]), borderColor: COLORS.fact, backgroundColor: COLORS.fact, pointRadius: 0 },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { x: DAY_AXIS, y: { beginAtZero: true, ticks: { precision: 0, callback: (value) => formatTick(value) } } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.raw)}` } } },
    },
  }, 240, {
    label: `${what} нарастающим итогом: план и факт`,
    summary: `План на ${formatDate(last.d)}: ${format(last[planKey])}`
      + (lastFact ? `; факт на ${formatDate(lastFact.d)}: ${format(lastFact[factKey])}` : '; факта ещё нет'),
  });
}

/** A difference with its sign, red when behind plan. */
function signed(value, row, column) {
  const text = formatByType(column.type, value);
  return el('span', { class: value == null ? null : value < 0 ? 'neg' : 'pos', text: value > 0 ? `+${text}` : text });
}

/** Plan to date, the fact, and the period's target, side by side. */
function summaryTiles(summary) {
  const share = (fact, plan) => (plan ? formatPercent(fact / plan) : '—');
  const untilToday = summary.to > summary.today ? `на сегодня, ${formatDate(summary.today)}` : `на ${formatDate(summary.to)}`;
  return el('div', { class: 'kpis' },
    infoTile('planRevenueToDate', `План выручки ${untilToday}`, formatMoney(summary.planRevenueToDate), summary.planRevenueToDate),
    infoTile('factRevenue', `Факт выручки (${share(summary.factRevenue, summary.planRevenueToDate)} плана на сегодня)`, formatMoney(summary.factRevenue), summary.factRevenue),
    infoTile('planRevenue', 'Цель периода, выручка', formatMoney(summary.planRevenue), summary.planRevenue),
    infoTile('planTicketsToDate', `План билетов ${untilToday}`, formatInt(summary.planTicketsToDate), summary.planTicketsToDate),
    infoTile('factTickets', `Факт билетов (${share(summary.factTickets, summary.planTicketsToDate)} плана на сегодня)`, formatInt(summary.factTickets), summary.factTickets),
    infoTile('planTickets', 'Цель периода, билеты', formatInt(summary.planTickets), summary.planTickets));
}

export async function render({ root, params }) {
  const head = el('div', { class: 'kpis-slot', id: 'plan-summary' });
  root.append(head);
  let summary = null;
  await fill(head, () => getJson('/api/plan/summary', params), (data, slot) => {
    summary = data;
    if (!data.planLoaded) {
      slot.append(el('div', { class: 'empty', id: 'no-plan' },
        el('strong', { text: 'План не загружен. ' }),
        'Загрузите план командой «zakaz plan import ФАЙЛ.csv» или из Google Таблицы («zakaz sync sheets»).'));
      return;
    }
    slot.append(
      el('p', { class: 'period-note' }, data.planRevenue === 0 && data.planTickets === 0
        ? 'На выбранный период плана нет.'
        : 'План на сегодня — сумма плана с начала периода по сегодняшний день; цель периода — план за весь период.'),
      summaryTiles(data));
  });
  if (!summary?.planLoaded) return;

  const revenue = card('Выручка нарастающим итогом: план и факт', { csv: '/api/plan/cumulative', params });
  const tickets = card('Билеты нарастающим итогом: план и факт', { csv: '/api/plan/cumulative', params });
  const rows = card('План и факт по событиям и городам', { csv: '/api/plan/rows', params, wide: true, id: 'plan-rows' });
  root.append(el('div', { class: 'grid' }, revenue.node, tickets.node, rows.node));
  const cumulativeData = getJson('/api/plan/cumulative', params);
  await Promise.all([
    fill(revenue.body, () => cumulativeData, (data, body) => {
      if (data.rows.length) cumulative(body, data.rows, 'planRevenueCum', 'factRevenueCum', formatMoney, formatMoneyShort, 'Выручка');
      else body.append(table(data));
    }),
    fill(tickets.body, () => cumulativeData, (data, body) => {
      if (data.rows.length) cumulative(body, data.rows, 'planTicketsCum', 'factTicketsCum', formatInt, formatInt, 'Билеты');
      else body.append(table(data));
    }),
    fill(rows.body, () => getJson('/api/plan/rows', params), (data, body) => body.append(table(data, {
      cells: { eventName: eventCell, diff: signed, diffPct: signed, diffToDate: signed, diffToDatePct: signed },
      topN: 'planRevenue',
      empty: 'Нет плана на выбранный период',
    }))),
  ]);
}
