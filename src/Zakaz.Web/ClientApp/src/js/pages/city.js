// City performance: ROMI per city on attributed revenue (orders whose UTM a loaded ad platform's ads carry),
// the best and worst cities, spend against attributed revenue as a scatter sized by tickets; a click on a
// city drills into it (drill({ city })), and with cities chosen the page lists their events and campaigns.
import { getJson } from '../api.js';
import { capitalize, formatInt, formatMoney, formatMoneyShort, formatPercent, formatRatio } from '../format.js';
import { card, chart, drill, el, fill, light, table } from '../ui.js';
import { lightLabels } from './marketing.js';

// Ad platforms report up to yesterday: presets end there.
export const completeDays = true;

const TOP = 5;
const cssColor = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** The best or worst cities by ROMI on attributed revenue, among those with spend (ROMI needs it). */
function ranking(rows, best) {
  const ranked = rows.filter((row) => row.attributedRomi != null)
    .sort((a, b) => (best ? b.attributedRomi - a.attributedRomi : a.attributedRomi - b.attributedRomi));
  if (!ranked.length) return el('div', { class: 'empty', text: 'Нет городов с расходом за период' });
  return el('ol', { class: best ? 'ranking best' : 'ranking worst' }, ranked.slice(0, TOP).map((row) =>
    el('li', { 'data-city': row.city },
      el('a', { href: '#', onclick: (event) => { event.preventDefault(); drill({ city: row.city }); } },
        light(row.light, capitalize(row.city))),
      ` — ROMI ${formatPercent(row.attributedRomi)}, расход ${formatMoney(row.spend)}`)));
}

/** Spend (x) against attributed revenue (y), a bubble per city sized by tickets, coloured by its light; ROAS = 1 as a line. */
function scatter(body, rows) {
  const points = rows.filter((row) => row.spend > 0 || row.attributedRevenue > 0);
  if (!points.length) { body.append(el('div', { class: 'empty', text: 'Нет расхода и выручки с рекламы за период' })); return; }
  const maxTickets = Math.max(1, ...points.map((row) => row.tickets));
  const colors = { green: cssColor('--green'), amber: cssColor('--amber'), red: cssColor('--red') };
  const edge = Math.max(...points.map((row) => Math.max(row.spend, row.attributedRevenue)));
  const best = points.reduce((a, b) => ((b.attributedRomi ?? -Infinity) > (a.attributedRomi ?? -Infinity) ? b : a));
  chart(body, {
    data: {
      datasets: [
        {
          type: 'bubble',
          label: 'Города',
          data: points.map((row) => ({ x: row.spend, y: row.attributedRevenue, r: 4 + 22 * Math.sqrt(row.tickets / maxTickets), city: row.city, row })),
          backgroundColor: points.map((row) => `${colors[row.light] || cssColor('--none')}b3`),
          borderColor: points.map((row) => colors[row.light] || cssColor('--none')),
        },
        { type: 'line', label: 'ROAS = 1', data: [{ x: 0, y: 0 }, { x: edge, y: edge }], borderColor: '#7f8c8d', borderDash: [5, 4], pointRadius: 0, borderWidth: 1 },
      ],
    },
    options: {
      onClick: (_, elements) => {
        const hit = elements.find((element) => element.datasetIndex === 0);
        if (hit) drill({ city: points[hit.index].city });
      },
      onHover: (event, elements) => { event.native.target.style.cursor = elements.some((e) => e.datasetIndex === 0) ? 'pointer' : 'default'; },
      scales: {
        x: { type: 'linear', beginAtZero: true, title: { display: true, text: 'Расход' }, ticks: { maxTicksLimit: 6, callback: (value) => formatMoneyShort(value) } },
        y: { beginAtZero: true, title: { display: true, text: 'Выручка с рекламы' }, ticks: { callback: (value) => formatMoneyShort(value) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: {
            label: (item) => {
              const { row } = item.raw;
              return `${capitalize(row.city)}: расход ${formatMoney(row.spend)}, выручка с рекламы ${formatMoney(row.attributedRevenue)}, ROAS ${formatRatio(row.attributedRoas)}, билетов ${formatInt(row.tickets)}`;
            },
          },
        },
      },
    },
  }, 340, {
    label: 'Расход против выручки с рекламы по городам, размер — билеты',
    summary: `${points.length} городов; лучший ROMI у города ${capitalize(best.city)} (${formatPercent(best.attributedRomi)}). Выше пунктирной линии выручка с рекламы больше расхода.`,
  });
}

export async function render({ root, params, filters }) {
  const cities = getJson('/api/city/cities', params);
  const thresholds = getJson('/api/marketing/kpis', params);
  cities.catch(() => {});
  thresholds.catch(() => {});
  const romi = card('ROMI по атрибутированной выручке: города', { csv: '/api/city/cities', params, wide: true, id: 'city-romi' });
  const top = card('Лучшие города по ROMI', { id: 'city-top' });
  const bottom = card('Худшие города по ROMI', { id: 'city-bottom' });
  const bubbles = card('Расход и выручка с рекламы', {
    wide: true, id: 'city-scatter',
    note: 'Точка — город: по горизонтали расход, по вертикали выручка заказов с UTM загруженных площадок; размер — проданные билеты. Щелчок по городу открывает его события и кампании.',
  });
  const cards = [romi.node, top.node, bottom.node, bubbles.node];
  const drilled = filters.cities.length > 0;
  const events = drilled ? card(`События: ${filters.cities.map(capitalize).join(', ')}`, { csv: '/api/city/events', params, wide: true, id: 'city-events' }) : null;
  const campaigns = drilled ? card(`Кампании: ${filters.cities.map(capitalize).join(', ')}`, { csv: '/api/marketing/campaigns', params, wide: true, id: 'city-campaigns' }) : null;
  if (drilled) cards.push(events.node, campaigns.node);
  root.append(el('div', { class: 'grid' }, cards));

  const loads = [
    fill(romi.body, () => Promise.all([cities, thresholds]), ([data, kpis], body) => {
      const { labels, note } = lightLabels(kpis);
      body.append(el('p', { class: 'note', text: note }), table(data, {
        topN: 'attributedRomi',
        cells: {
          light: (value) => light(value, labels[value] ?? 'нет расхода'),
          attributedRomi: (value, row) => el('span', { class: `roas ${row.light ?? ''}`, text: formatPercent(value) }),
        },
      }));
    }),
    fill(top.body, () => cities, (data, body) => body.append(ranking(data.rows, true))),
    fill(bottom.body, () => cities, (data, body) => body.append(ranking(data.rows, false))),
    fill(bubbles.body, () => cities, (data, body) => scatter(body, data.rows)),
  ];
  if (drilled) {
    loads.push(
      fill(events.body, () => Promise.all([getJson('/api/city/events', params), thresholds]), ([data, kpis], body) => {
        const { labels } = lightLabels(kpis);
        body.append(table(data, { cells: { light: (value) => light(value, labels[value] ?? 'нет расхода') } }));
      }),
      fill(campaigns.body, () => getJson('/api/marketing/campaigns', params), (data, body) => body.append(table(data, { topN: 'roas' }))));
  }
  await Promise.all(loads);
}
