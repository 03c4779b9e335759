// Pieces more than one page draws.
import { formatMoney, formatMoneyShort } from '../format.js';
import { COLORS, chart, el } from '../ui.js';
import { describeRange } from '../filters.js';

/** "01.11.2026 — 30.11.2026 vs 02.10.2026 — 31.10.2026", from the KPI answer itself. */
export function periodNote(data) {
  return el('p', { class: 'period-note' },
    `Период ${describeRange(data.from, data.to)}, сравнение с ${describeRange(data.previousFrom, data.previousTo)}`);
}

/** A top-N list as horizontal bars of money. */
export function horizontalBars(container, pairs, color = COLORS.revenue) {
  if (!pairs.length) return;
  // Long event names are cut so the bars keep most of the width, more so on a phone.
  const longest = container.clientWidth < 500 ? 16 : 28;
  chart(container, {
    type: 'bar',
    data: { labels: pairs.map(([label]) => label), datasets: [{ label: 'Выручка, ₽', data: pairs.map(([, value]) => value), backgroundColor: color }] },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => formatMoney(item.raw) } } },
      scales: {
        x: { beginAtZero: true, ticks: { maxRotation: 0, maxTicksLimit: 5, callback: (value) => formatMoneyShort(value) } },
        y: { ticks: { callback(value) { const label = this.getLabelForValue(value); return label.length > longest ? `${label.slice(0, longest - 1)}…` : label; } } },
      },
    },
  }, Math.max(160, pairs.length * 26 + 40));
}
