// Marketing ROI: KPI tiles, spend vs revenue by day, ROAS of attributed revenue by city with the traffic light,
// ad platforms, campaigns, and what cannot be attributed (revenue without UTM, spend without a city or event).
// The source filter narrows every card to one ad platform: its spend and the orders whose UTM its ads carry.
// Revenue is attributed when the order's utm_source is one a loaded platform's ads carry; the lights judge
// only that revenue against spend (the rest, organic or telegram, was not bought by that spend).
import { getJson } from '../api.js';
import { formatByType, formatDate, formatMoney, formatMoneyShort, formatPercent, formatRatio } from '../format.js';
import { PLATFORMS } from '../filters.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, infoTile, kpiTiles, light, table } from '../ui.js';
import { periodNote, unknown } from './common.js';

export const bySource = true;
// Ad platforms report up to yesterday: presets end there, so no day of spend is missing by default.
export const completeDays = true;

export const NOT_LOADED = 'ещё не загружено';

const KPIS = [
  { key: 'spend', title: 'Расход', type: 'money', lowerIsBetter: true },
  { key: 'revenue', title: 'Выручка', type: 'money' },
  { key: 'roas', title: 'ROAS', type: 'ratio' },
  { key: 'romi', title: 'ROMI', type: 'percent' },
  { key: 'cpo', title: 'CPO (цена заказа)', type: 'money', lowerIsBetter: true },
];
const ATTRIBUTION_KPIS = [
  { key: 'attributedRevenue', title: 'Выручка с рекламы (атрибутированная)', type: 'money' },
  { key: 'attributedRoas', title: 'ROAS по атрибутированной выручке', type: 'ratio' },
];
// Tiles whose figure is built on spend: unknown while no platform has reported the range.
const ON_SPEND = ['spend', 'roas', 'romi', 'cpo', 'attributedRoas'];
const NO_PLATFORM = 'Без рекламной площадки';
const NO_PLATFORM_HINT = 'Расход по этому источнику не загружается: нет подключённой рекламной площадки';
const UNTAGGED_SPEND_HINT = 'Объявления без UTM-меток: их расход не связан ни с одним заказом, ROAS и CPO не считаются';
const UNTAGGED_REVENUE_HINT = 'Заказы без UTM-меток: расход на них неизвестен, ROAS и CPO не считаются';
const UNCLAIMED_HINT = 'Выручка, которую не приводит ни одна загруженная площадка (без UTM, органика, telegram, рассылки…): расход на неё неизвестен';
const UNTAGGED = { untagged_spend: 'Расход без UTM', untagged_revenue: 'Выручка без UTM' };

const decimal = (value) => String(value).replace('.', ',');

/** What the lights mean, with the thresholds the server judges by. */
export function lightLabels(data) {
  const green = decimal(data.roasGreen ?? 1.5);
  const amber = decimal(data.roasAmber ?? 1);
  return {
    labels: { green: `ROAS > ${green}`, amber: `ROAS ${amber}–${green}`, red: `ROAS < ${amber}` },
    note: `Светофор по ROAS атрибутированной выручки (заказы с UTM загруженных площадок / расход): зелёный — больше ${green}, жёлтый — от ${amber} до ${green}, красный — меньше ${amber}.`,
  };
}


/** Why a campaign row has no platform: its utm_source is one no loaded platform carries, or it is an untagged line. */
const noPlatformHint = (row) => (row.kind === 'untagged_spend' ? UNTAGGED_SPEND_HINT
  : row.kind === 'untagged_revenue' ? UNTAGGED_REVENUE_HINT : NO_PLATFORM_HINT);

/** The campaign's ratios, or "—" with the reason where no loaded platform carries its utm_source. */
function ratioCell(value, row, column) {
  if (row.platform == null) return unknown(noPlatformHint(row));
  return document.createTextNode(formatByType(column.type, value));
}

/** A money cell of an untagged line that does not apply to it ("—" with why), else the amount. */
function untaggedMoney(value, row, column) {
  if (value == null && row.kind !== 'campaign') return unknown(noPlatformHint(row));
  return document.createTextNode(formatByType(column.type, value));
}

const platformName = (source) => PLATFORMS[source] ?? source;

/** Spend tiles say what has not been reported instead of comparing a missing day with a full one. */
function markNotLoaded(tiles, data) {
  if (data.spendStatus === 'complete') return;
  // One line per period, naming its platforms: «за 06.12.2026: VK Реклама, Яндекс Директ».
  const periods = new Map();
  for (const gap of data.spendNotLoaded ?? []) {
    const period = gap.from === gap.to ? formatDate(gap.from) : `${formatDate(gap.from)} — ${formatDate(gap.to)}`;
    periods.set(period, [...(periods.get(period) ?? []), platformName(gap.source)]);
  }
  const missing = [...periods].map(([period, platforms]) => `за ${period}: ${platforms.join(', ')}`).join('; ');
  for (const key of ON_SPEND) {
    const tile = tiles.querySelector(`[data-kpi=${key}]`);
    if (!tile) continue;
    const change = tile.querySelector('.kpi-change');
    change.className = 'kpi-change flat not-loaded';
    if (data.spendStatus === 'not_loaded') {
      tile.querySelector('.kpi-value').textContent = NOT_LOADED;
      change.replaceChildren(el('span', { class: 'delta', text: 'расход площадки присылают за вчера' }));
    } else {
      change.replaceChildren(el('span', { class: 'delta', text: `${NOT_LOADED} ${missing}` }));
    }
    tile.dataset.spendStatus = data.spendStatus;
  }
}

export async function render({ root, params, filters }) {
  const kpis = el('div', { class: 'kpis-slot' });
  const platform = PLATFORMS[filters.source];
  const daily = card('Расход и выручка по дням', { csv: '/api/marketing/daily', params, wide: true });
  const cities = card('ROAS по атрибутированной выручке: города', { csv: '/api/marketing/cities', params, wide: true, id: 'romi-cities' });
  const sources = card('Площадки', {
    csv: '/api/marketing/sources', params, wide: true, id: 'sources',
    note: 'Выручка площадки — заказы, чей utm_source несут её объявления; остальная выручка — «Без рекламной площадки».',
  });
  const campaigns = card('Кампании', {
    csv: '/api/marketing/campaigns', params, wide: true, id: 'campaigns',
    note: platform ? `Только кампании, чей utm_source несут объявления площадки «${platform}».`
      : 'Светофор кампании — её ROAS (выручка заказов с её UTM / расход). Расход без UTM и выручка без UTM — отдельные строки: одно не приносило другое.',
  });
  root.append(kpis, el('div', { class: 'grid' }, daily.node, cities.node, sources.node, campaigns.node));

  // The KPI answer also carries the light thresholds the cities card explains.
  const kpiAnswer = getJson('/api/marketing/kpis', params);
  kpiAnswer.catch(() => {});
  await Promise.all([
    fill(kpis, () => kpiAnswer, (data, slot) => {
      slot.append(periodNote(data));
      if (data.partialDay) {
        slot.append(el('p', { class: 'period-note partial-day', text: 'Сравнение за неполный день: сегодняшний день ещё идёт, а площадки присылают расход за вчера.' }));
      }
      if (platform) {
        slot.append(el('p', { class: 'period-note source-note', text: `Площадка «${platform}»: её расход и выручка заказов с её UTM.` }));
      }
      const tiles = kpiTiles(data.kpis, KPIS);
      const attribution = kpiTiles(data.attributionKpis ?? [], ATTRIBUTION_KPIS);
      markNotLoaded(tiles, data);
      markNotLoaded(attribution, data);
      const secondary = el('div', { class: 'kpis secondary' },
        // Orders without UTM belong to no platform: their share is of all revenue, whichever is chosen.
        infoTile('revenueWithoutUtmShare', platform ? 'Выручка без UTM (от всей выручки)' : 'Выручка без UTM',
          formatPercent(data.revenueWithoutUtmShare), data.revenueWithoutUtmShare),
        infoTile('otherRevenue', 'Прочая выручка (органика, без площадки)', formatMoney(data.otherRevenue), data.otherRevenue),
        infoTile('spendWithoutCity', 'Расход без города',
          `${formatMoney(data.spendWithoutCity)} (${formatPercent(data.spendWithoutCityShare)})`, data.spendWithoutCity));
      // With an event chosen, spend no rule tied to an event is in none of its figures: flagged, not hidden.
      if (filters.events.length) {
        secondary.append(infoTile('spendWithoutEvent', 'Расход без привязки к событию', formatMoney(data.spendWithoutEvent), data.spendWithoutEvent));
      }
      slot.append(tiles, attribution, secondary);
    }),
    fill(daily.body, () => getJson('/api/marketing/daily', params), (data, body) => {
      if (!data.rows.length) { body.append(table(data)); return; }
      const pending = data.rows.filter((row) => row.notLoaded);
      if (pending.length) {
        const days = pending.map((row) => formatDate(row.d));
        body.append(el('p', { class: 'note not-loaded', text: `Расход ${NOT_LOADED}: ${days.length > 3 ? `${days[0]} — ${days.at(-1)}` : days.join(', ')} (площадки присылают статистику за вчера).` }));
      }
      chart(body, {
        type: 'line',
        data: {
          labels: data.rows.map((row) => formatDate(row.d)),
          datasets: [
            { label: 'Расход, ₽', data: data.rows.map((row) => row.spend), borderColor: COLORS.spend, backgroundColor: COLORS.spend, pointRadius: 2, spanGaps: false },
            { label: 'Выручка, ₽', data: data.rows.map((row) => row.revenue), borderColor: COLORS.revenue, backgroundColor: COLORS.revenue, pointRadius: 2 },
            { label: 'Выручка с рекламы, ₽', data: data.rows.map((row) => row.attributedRevenue), borderColor: COLORS.tickets, backgroundColor: COLORS.tickets, pointRadius: 2, borderDash: [4, 3] },
          ],
        },
        options: {
          interaction: { mode: 'index', intersect: false },
          scales: { x: DAY_AXIS, y: { beginAtZero: true, ticks: { callback: (value) => formatMoneyShort(value) } } },
          plugins: {
            tooltip: {
              callbacks: {
                label: (item) => {
                  const name = item.dataset.label.replace(', ₽', '');
                  const row = data.rows[item.dataIndex];
                  if (item.datasetIndex !== 0 || !row.notLoaded) return `${name}: ${formatMoney(item.raw)}`;
                  const which = row.notLoaded.split(',').map(platformName).join(', ');
                  return item.raw == null ? `${name}: ${NOT_LOADED}` : `${name}: ${formatMoney(item.raw)} (${which}: ${NOT_LOADED})`;
                },
              },
            },
          },
        },
      }, 280, {
        label: 'Расход и выручка по дням',
        summary: pending.length ? `Расход за ${pending.map((row) => formatDate(row.d)).join(', ')} ${NOT_LOADED}.` : undefined,
      });
    }),
    fill(cities.body, () => Promise.all([getJson('/api/marketing/cities', params), kpiAnswer]), ([data, thresholds], body) => {
      const { labels, note } = lightLabels(thresholds);
      body.append(el('p', { class: 'note', text: note }), table(data, {
        topN: 'attributedRoas',
        cells: {
          light: (value) => light(value, labels[value] ?? 'нет расхода'),
          attributedRoas: (value, row) => el('span', { class: `roas ${row.light ?? ''}`, text: formatRatio(value) }),
        },
      }));
    }),
    fill(sources.body, () => getJson('/api/marketing/sources', params), (data, body) => body.append(table(data, {
      cells: {
        source: (value) => document.createTextNode(PLATFORMS[value] ?? NO_PLATFORM),
        spend: (value, row) => (row.source ? document.createTextNode(formatMoney(value)) : unknown(UNCLAIMED_HINT)),
      },
    }))),
    fill(campaigns.body, () => getJson('/api/marketing/campaigns', params), (data, body) => body.append(table(data, {
      topN: 'roas',
      rowClass: (row) => (row.kind === 'campaign' ? null : `untagged ${row.kind}`),
      cells: {
        platform: (value, row) => (row.kind !== 'campaign' ? el('strong', { text: UNTAGGED[row.kind] })
          : value ? document.createTextNode(platformName(value)) : unknown(noPlatformHint(row))),
        spend: untaggedMoney,
        clicks: untaggedMoney,
        orders: untaggedMoney,
        revenue: untaggedMoney,
        roas: ratioCell,
        romi: ratioCell,
        cpo: ratioCell,
        light: (value, row) => (row.platform == null ? unknown(noPlatformHint(row))
          : light(value, value ? `ROAS ${formatRatio(row.roas)}` : 'нет расхода')),
        kind: (value) => document.createTextNode(value === 'campaign' ? 'кампания' : UNTAGGED[value] ?? value),
      },
    }))),
  ]);
}

