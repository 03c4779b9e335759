// Sales overview: KPI tiles vs the previous period, revenue and tickets by day, top cities and events, detail.
import { getJson } from '../api.js';
import { capitalize, formatDate, formatInt, formatMoney, formatMoneyShort } from '../format.js';
import { COLORS, DAY_AXIS, card, chart, drill, el, fill, kpiTiles, pagedTable, table } from '../ui.js';
import { eventCell, eventLabel, horizontalBars, periodNote } from './common.js';

const KPIS = [
  { key: 'revenue', title: 'Выручка', type: 'money' },
  { key: 'tickets', title: 'Билеты', type: 'int' },
  { key: 'orders', title: 'Заказы', type: 'int' },
  { key: 'avgTicketPrice', title: 'Средняя цена билета', type: 'money' },
];
const PARTIAL = 'неполный день';
// Today's bar is lighter: a day in progress, not a fall in sales.
const PARTIAL_REVENUE = `${COLORS.revenue}66`;

function dailyChart(body, rows) {
  const partial = rows.findIndex((row) => row.partial);
  const labels = rows.map((row) => formatDate(row.d));
  chart(body, {
    data: {
      labels,
      datasets: [
        {
          type: 'bar', label: 'Выручка, ₽', data: rows.map((row) => row.revenue), yAxisID: 'money',
          backgroundColor: rows.map((row) => (row.partial ? PARTIAL_REVENUE : COLORS.revenue)),
          borderColor: COLORS.revenue, borderWidth: rows.map((row) => (row.partial ? 1 : 0)),
        },
        { type: 'line', label: 'Билеты', data: rows.map((row) => row.tickets), borderColor: COLORS.tickets, backgroundColor: COLORS.tickets, yAxisID: 'count', pointRadius: 2 },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ...DAY_AXIS, ticks: { ...DAY_AXIS.ticks, callback(value) { const day = this.getLabelForValue(value).slice(0, 5); return value === partial ? [day, PARTIAL] : day; } } },
        money: { position: 'left', beginAtZero: true, ticks: { callback: (value) => formatMoneyShort(value) } },
        count: { position: 'right', beginAtZero: true, grid: { display: false }, ticks: { precision: 0, callback: (value) => formatInt(value) } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => (items[0].dataIndex === partial ? `${items[0].label}, ${PARTIAL}` : items[0].label),
            label: (item) => (item.dataset.yAxisID === 'money' ? `Выручка: ${formatMoney(item.raw)}` : `Билеты: ${formatInt(item.raw)}`),
          },
        },
      },
    },
  }, 280, {
    label: `Выручка и билеты по дням, ${labels[0]} — ${labels[labels.length - 1]}`,
    summary: `Выручка ${formatMoney(rows.reduce((sum, row) => sum + row.revenue, 0))}, билетов ${formatInt(rows.reduce((sum, row) => sum + row.tickets, 0))}`
      + (partial >= 0 ? `; ${labels[partial]} — ${PARTIAL}` : ''),
  });
  if (partial >= 0) {
    body.append(el('p', { class: 'note partial-day', text: `${labels[partial]} — ${PARTIAL}: продажи на текущий момент, день ещё не закончился.` }));
  }
}

export async function render({ root, params }) {
  const kpis = el('div', { class: 'kpis-slot' });
  const daily = card('Выручка и билеты по дням', { csv: '/api/sales/daily', params, wide: true, id: 'daily' });
  const cities = card('Топ городов', { csv: '/api/sales/cities', params, id: 'cities' });
  const events = card('Топ событий', { csv: '/api/sales/events', params, id: 'events' });
  const detail = card('Детализация: день, город, событие', { csv: '/api/sales/detail', params, wide: true, id: 'detail' });
  root.append(kpis, el('div', { class: 'grid' }, daily.node, cities.node, events.node, detail.node));

  await Promise.all([
    fill(kpis, () => getJson('/api/sales/kpis', params), (data, slot) => {
      slot.append(periodNote(data), kpiTiles(data.kpis, KPIS));
    }),
    fill(daily.body, () => getJson('/api/sales/daily', params), (data, body) => {
      if (!data.rows.length) { body.append(table(data)); return; }
      dailyChart(body, data.rows);
    }),
    fill(cities.body, () => getJson('/api/sales/cities', params), (data, body) => {
      const top = data.rows.slice(0, 10);
      horizontalBars(body, top.map((row) => [capitalize(row.city), row.revenue]), COLORS.revenue, {
        onClick: (index) => drill({ city: top[index].city }),
        describe: { label: 'Выручка по городам', summary: top.slice(0, 3).map((row) => `${capitalize(row.city)}: ${formatMoney(row.revenue)}`).join('; ') },
      });
      body.append(table(data, { topN: 'revenue' }));
    }),
    fill(events.body, () => getJson('/api/sales/events', params), (data, body) => {
      const top = data.rows.slice(0, 10);
      horizontalBars(body, top.map((row) => [eventLabel(row.eventName, row.city, row.eventDeleted), row.revenue]), COLORS.revenue, {
        onClick: (index) => drill({ event: String(top[index].eventId) }),
        describe: { label: 'Выручка по событиям', summary: top.slice(0, 3).map((row) => `${eventLabel(row.eventName, row.city, row.eventDeleted)}: ${formatMoney(row.revenue)}`).join('; ') },
      });
      body.append(table(data, { cells: { eventName: eventCell }, topN: 'revenue' }));
    }),
    fill(detail.body, () => getJson('/api/sales/detail', params), (data, body) => pagedTable(body, '/api/sales/detail', params, data)),
  ]);
}
