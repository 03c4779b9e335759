// UTM: how much revenue and how many orders come without UTM, per day and per utm_source, and the campaigns
// that bring orders under a source no loaded ad platform reports (telegram, newsletters): their spend is
// unknown, not zero, so they have no ROAS anywhere on the dashboard.
import { getJson } from '../api.js';
import { EMPTY, formatDate, formatPercent } from '../format.js';
import { PLATFORMS } from '../filters.js';
import { COLORS, DAY_AXIS, card, chart, el, fill, table } from '../ui.js';
import { unknown } from './common.js';

const NO_UTM = 'Без UTM';
const NO_PLATFORM_HINT = 'Ни одна загруженная рекламная площадка не несёт этот utm_source: расход на него неизвестен';
const UNKNOWN_SPEND = 'неизвестен';

export async function render({ root, params }) {
  const daily = card('Доля выручки и заказов без UTM по дням', { csv: '/api/utm/daily', params, wide: true, id: 'utm-daily' });
  const sources = card('Источники (utm_source)', {
    csv: '/api/utm/sources', params, wide: true, id: 'utm-sources',
    note: 'Доля всей выручки и всех заказов периода по utm_source; площадка — та, чьи объявления несут этот источник.',
  });
  const unreported = card('Кампании без рекламной площадки', {
    csv: '/api/utm/unreported', params, wide: true, id: 'utm-unreported',
    note: 'Кампании, которые приносят заказы, но которых нет ни в одной загруженной рекламной площадке: их расход неизвестен (не ноль), поэтому ROAS и CPO для них не считаются.',
  });
  root.append(el('div', { class: 'grid' }, daily.node, sources.node, unreported.node));

  await Promise.all([
    fill(daily.body, () => getJson('/api/utm/daily', params), (data, body) => {
      if (!data.rows.length) { body.append(table(data)); return; }
      const share = (key) => data.rows.map((row) => (row[key] == null ? null : row[key] * 100));
      const withRevenue = data.rows.filter((row) => row.revenueWithoutUtmShare != null);
      const average = withRevenue.length
        ? withRevenue.reduce((sum, row) => sum + row.revenueWithoutUtm, 0) / withRevenue.reduce((sum, row) => sum + row.revenue, 0)
        : null;
      chart(body, {
        type: 'line',
        data: {
          labels: data.rows.map((row) => formatDate(row.d)),
          datasets: [
            { label: 'Выручка без UTM, %', data: share('revenueWithoutUtmShare'), borderColor: COLORS.revenue, backgroundColor: COLORS.revenue, pointRadius: 2 },
            { label: 'Заказы без UTM, %', data: share('ordersWithoutUtmShare'), borderColor: COLORS.tickets, backgroundColor: COLORS.tickets, pointRadius: 2 },
          ],
        },
        options: {
          interaction: { mode: 'index', intersect: false },
          scales: { x: DAY_AXIS, y: { beginAtZero: true, suggestedMax: 100, ticks: { callback: (value) => `${value} %` } } },
          plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label.replace(', %', '')}: ${item.raw == null ? EMPTY : formatPercent(item.raw / 100)}` } } },
        },
      }, 260, {
        label: 'Доля выручки и заказов без UTM по дням',
        summary: `За период без UTM ${formatPercent(average)} выручки.`,
      });
      body.append(el('details', { class: 'utm-days' }, el('summary', { text: 'Таблица по дням' }), table(data)));
    }),
    fill(sources.body, () => getJson('/api/utm/sources', params), (data, body) => body.append(table(data, {
      cells: {
        source: (value) => (value ? document.createTextNode(value) : el('strong', { text: NO_UTM })),
        platform: (value, row) => (value ? document.createTextNode(PLATFORMS[value] ?? value)
          : unknown(row.source ? NO_PLATFORM_HINT : 'Заказы без UTM-меток не относятся ни к одной площадке')),
      },
    }))),
    fill(unreported.body, () => getJson('/api/utm/unreported', params), (data, body) => body.append(table(data, {
      empty: 'Все кампании с заказами есть в загруженных рекламных площадках',
      cells: { spend: () => unknown(NO_PLATFORM_HINT, UNKNOWN_SPEND) },
    }))),
  ]);
}
