// Marketing ROI: KPI tiles, spend vs revenue by day, ROMI by city with the traffic light, ad platforms,
// campaigns, and what cannot be attributed (revenue without UTM, spend without a city). The source filter
// narrows every card to one ad platform: its spend and the orders whose UTM its ads carry.
import { getJson } from '../api.js';
import { EMPTY, capitalize, formatByType, formatDate, formatMoney, formatMoneyShort, formatPercent, formatRatio } from '../format.js';
import { PLATFORMS } from '../filters.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, infoTile, kpiTiles, light, table } from '../ui.js';
import { periodNote } from './common.js';

export const bySource = true;

const KPIS = [
  { key: 'spend', title: 'Расход', type: 'money', lowerIsBetter: true },
  { key: 'revenue', title: 'Выручка', type: 'money' },
  { key: 'roas', title: 'ROAS', type: 'ratio' },
  { key: 'romi', title: 'ROMI', type: 'percent' },
  { key: 'cpo', title: 'CPO (цена заказа)', type: 'money', lowerIsBetter: true },
];
const LIGHTS = { green: 'ROAS > 1,5', amber: 'ROAS 1–1,5', red: 'ROAS < 1' };
const NO_PLATFORM = 'Без рекламной площадки';
const NO_PLATFORM_HINT = 'Расход по этому источнику не загружается: нет подключённой рекламной площадки';
const UNTAGGED_HINT = 'Без UTM: расход объявлений без меток и выручка заказов без меток друг с другом не связаны, ROAS и CPO не считаются';
const UNCLAIMED_HINT = 'Выручка, которую не приводит ни одна загруженная площадка (без UTM, органика, telegram, рассылки…): расход на неё неизвестен';

/** "—" for a figure that is unknown (no spend is loaded for it), never 0, with the reason on hover. */
function unknown(hint) {
  return el('span', { class: 'no-spend', title: hint, 'aria-label': `${EMPTY} (${hint})`, text: EMPTY });
}

/** Why a campaign row has no platform: its utm_source is one no loaded platform carries, or it has none. */
const noPlatformHint = (row) => (row.source ? NO_PLATFORM_HINT : UNTAGGED_HINT);

/** The campaign's ratios, or "—" with the reason where no loaded platform carries its utm_source. */
function ratioCell(value, row, column) {
  if (row.platform == null) return unknown(noPlatformHint(row));
  return document.createTextNode(formatByType(column.type, value));
}

export async function render({ root, params, filters }) {
  const kpis = el('div', { class: 'kpis-slot' });
  const platform = PLATFORMS[filters.source];
  const daily = card('Расход и выручка по дням', { csv: '/api/marketing/daily', params, wide: true });
  const cities = card('ROMI по городам', {
    csv: '/api/marketing/cities', params, wide: true, id: 'romi-cities',
    note: 'Светофор: зелёный — ROAS больше 1,5, жёлтый — от 1 до 1,5, красный — меньше 1.',
  });
  const sources = card('Площадки', {
    csv: '/api/marketing/sources', params, wide: true, id: 'sources',
    note: 'Выручка площадки — заказы, чей utm_source несут её объявления; остальная выручка — «Без рекламной площадки».',
  });
  const campaigns = card('Кампании', {
    csv: '/api/marketing/campaigns', params, wide: true, id: 'campaigns',
    note: platform ? `Только кампании, чей utm_source несут объявления площадки «${platform}».` : null,
  });
  root.append(kpis, el('div', { class: 'grid' }, daily.node, cities.node, sources.node, campaigns.node));

  await Promise.all([
    fill(kpis, () => getJson('/api/marketing/kpis', params), (data, slot) => {
      slot.append(periodNote(data));
      if (platform) {
        slot.append(el('p', { class: 'period-note source-note', text: `Площадка «${platform}»: её расход и выручка заказов с её UTM.` }));
      }
      slot.append(kpiTiles(data.kpis, KPIS), el('div', { class: 'kpis secondary' },
        // Orders without UTM belong to no platform: their share is of all revenue, whichever is chosen.
        infoTile('revenueWithoutUtmShare', platform ? 'Выручка без UTM (от всей выручки)' : 'Выручка без UTM',
          formatPercent(data.revenueWithoutUtmShare), data.revenueWithoutUtmShare),
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
    fill(sources.body, () => getJson('/api/marketing/sources', params), (data, body) => body.append(table(data, {
      cells: {
        source: (value) => document.createTextNode(PLATFORMS[value] ?? NO_PLATFORM),
        spend: (value, row) => (row.source ? document.createTextNode(formatMoney(value)) : unknown(UNCLAIMED_HINT)),
      },
    }))),
    fill(campaigns.body, () => getJson('/api/marketing/campaigns', params), (data, body) => body.append(table(data, {
      cells: {
        platform: (value, row) => (value ? document.createTextNode(PLATFORMS[value] ?? value) : unknown(noPlatformHint(row))),
        roas: ratioCell,
        romi: ratioCell,
        cpo: ratioCell,
      },
    }))),
  ]);
}
