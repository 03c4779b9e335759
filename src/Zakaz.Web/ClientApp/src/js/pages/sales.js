// Sales overview: KPI tiles vs the previous period, revenue and tickets by day, top cities and events, detail.
import { getJson } from '../api.js';
import { capitalize, formatDate, formatInt, formatMoney, formatMoneyShort } from '../format.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, kpiTiles, pagedTable, table } from '../ui.js';
import { horizontalBars, periodNote } from './common.js';

const KPIS = [
  { key: 'revenue', title: 'Выручка', type: 'money' },
  { key: 'tickets', title: 'Билеты', type: 'int' },
  { key: 'orders', title: 'Заказы', type: 'int' },
  { key: 'avgTicketPrice', title: 'Средняя цена билета', type: 'money' },
];

export async function render({ root, params }) {
  const kpis = el('div', { class: 'kpis-slot' });
  const daily = card('Выручка и билеты по дням', { csv: '/api/sales/daily', params, wide: true });
  const cities = card('Топ городов', { csv: '/api/sales/cities', params });
  const events = card('Топ событий', { csv: '/api/sales/events', params });
  const detail = card('Детализация: день, город, событие', { csv: '/api/sales/detail', params, wide: true, id: 'detail' });
  root.append(kpis, el('div', { class: 'grid' }, daily.node, cities.node, events.node, detail.node));

  await Promise.all([
    fill(kpis, () => getJson('/api/sales/kpis', params), (data, slot) => {
      slot.append(periodNote(data), kpiTiles(data.kpis, KPIS));
    }),
    fill(daily.body, () => getJson('/api/sales/daily', params), (data, body) => {
      if (!data.rows.length) { body.append(table(data)); return; }
      chart(body, {
        data: {
          labels: data.rows.map((row) => formatDate(row.d)),
          datasets: [
            { type: 'bar', label: 'Выручка, ₽', data: data.rows.map((row) => row.revenue), backgroundColor: COLORS.revenue, yAxisID: 'money' },
            { type: 'line', label: 'Билеты', data: data.rows.map((row) => row.tickets), borderColor: COLORS.tickets, backgroundColor: COLORS.tickets, yAxisID: 'count', pointRadius: 2 },
          ],
        },
        options: {
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: DAY_AXIS,
            money: { position: 'left', beginAtZero: true, ticks: { callback: (value) => formatMoneyShort(value) } },
            count: { position: 'right', beginAtZero: true, grid: { display: false }, ticks: { precision: 0, callback: (value) => formatInt(value) } },
          },
          plugins: { tooltip: { callbacks: { label: (item) => item.dataset.yAxisID === 'money' ? `Выручка: ${formatMoney(item.raw)}` : `Билеты: ${formatInt(item.raw)}` } } },
        },
      });
    }),
    fill(cities.body, () => getJson('/api/sales/cities', params), (data, body) => {
      horizontalBars(body, data.rows.slice(0, 10).map((row) => [capitalize(row.city), row.revenue]));
      body.append(table(data));
    }),
    fill(events.body, () => getJson('/api/sales/events', params), (data, body) => {
      horizontalBars(body, data.rows.slice(0, 10).map((row) => [row.eventName, row.revenue]));
      body.append(table(data));
    }),
    fill(detail.body, () => getJson('/api/sales/detail', params), (data, body) => pagedTable(body, '/api/sales/detail', params, data)),
  ]);
}
