// Marketing ROI: KPI tiles, spend vs revenue by day, ROMI by city with the traffic light, campaigns,
// and what cannot be attributed (revenue without UTM, spend without a city).
import { getJson } from '../api.js';
import { capitalize, formatDate, formatMoney, formatMoneyShort, formatPercent, formatRatio } from '../format.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, infoTile, kpiTiles, light, table } from '../ui.js';
import { periodNote } from './common.js';

const KPIS = [
  { key: 'spend', title: 'Расход', type: 'money', lowerIsBetter: true },
  { key: 'revenue', title: 'Выручка', type: 'money' },
  { key: 'roas', title: 'ROAS', type: 'ratio' },
  { key: 'romi', title: 'ROMI', type: 'percent' },
  { key: 'cpo', title: 'CPO (цена заказа)', type: 'money', lowerIsBetter: true },
];
const LIGHTS = { green: 'ROAS > 1,5', amber: 'ROAS 1–1,5', red: 'ROAS < 1' };

export async function render({ root, params }) {
  const kpis = el('div', { class: 'kpis-slot' });
  const daily = card('Расход и выручка по дням', { csv: '/api/marketing/daily', params, wide: true });
  const cities = card('ROMI по городам', {
    csv: '/api/marketing/cities', params, wide: true, id: 'romi-cities',
    note: 'Светофор: зелёный — ROAS больше 1,5, жёлтый — от 1 до 1,5, красный — меньше 1.',
  });
  const campaigns = card('Кампании', { csv: '/api/marketing/campaigns', params, wide: true, id: 'campaigns' });
  root.append(kpis, el('div', { class: 'grid' }, daily.node, cities.node, campaigns.node));

  await Promise.all([
    fill(kpis, () => getJson('/api/marketing/kpis', params), (data, slot) => {
      slot.append(periodNote(data), kpiTiles(data.kpis, KPIS), el('div', { class: 'kpis secondary' },
        infoTile('revenueWithoutUtmShare', 'Выручка без UTM', formatPercent(data.revenueWithoutUtmShare), data.revenueWithoutUtmShare),
        infoTile('spendWithoutCity', 'Расход без города',
          `${formatMoney(data.spendWithoutCity)} (${formatPercent(data.spendWithoutCityShare)})`, data.spendWithoutCity)));
    }),
    fill(daily.body, () => getJson('/api/marketing/daily', params), (data, body) => {
      if (!data.rows.length) { body.append(table(data)); return; }
      chart(body, {
        type: 'line',
        data: {
          labels: data.rows.map((row) => formatDate(row.d)),
          datasets: [
            { label: 'Расход, ₽', data: data.rows.map((row) => row.spend), borderColor: COLORS.spend, backgroundColor: COLORS.spend, pointRadius: 2 },
            { label: 'Выручка, ₽', data: data.rows.map((row) => row.revenue), borderColor: COLORS.revenue, backgroundColor: COLORS.revenue, pointRadius: 2 },
          ],
        },
        options: {
          interaction: { mode: 'index', intersect: false },
          scales: { x: DAY_AXIS, y: { beginAtZero: true, ticks: { callback: (value) => formatMoneyShort(value) } } },
          plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label.replace(', ₽', '')}: ${formatMoney(item.raw)}` } } },
        },
      });
    }),
    fill(cities.body, () => getJson('/api/marketing/cities', params), (data, body) => body.append(table(data, {
      cells: {
        // The light sits next to the city too, so it shows on a phone where the last column is off screen.
        city: (value, row) => light(row.light, capitalize(value)),
        light: (value) => light(value, LIGHTS[value] ?? 'нет расхода'),
        roas: (value, row) => el('span', { class: `roas ${row.light ?? ''}`, text: formatRatio(value) }),
      },
    }))),
    fill(campaigns.body, () => getJson('/api/marketing/campaigns', params), (data, body) => body.append(table(data))),
  ]);
}
