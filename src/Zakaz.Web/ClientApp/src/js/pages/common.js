// Pieces more than one page draws.
import { EMPTY, capitalize, formatDateTime, formatMoney, formatMoneyShort } from '../format.js';
import { COLORS, chart, el } from '../ui.js';
import { describeRange } from '../filters.js';

/**
 * "01.11.2026 — 30.11.2026 vs 02.10.2026 — 31.10.2026", from the KPI answer itself. A range ending today
 * (partialDay) was compared with the previous period's last day up to the same time of day (comparedUntil).
 */
export function periodNote(data) {
  const note = el('p', { class: 'period-note' },
    `Период ${describeRange(data.from, data.to)}, сравнение с ${describeRange(data.previousFrom, data.previousTo)}`);
  // Only where the answer was compared like for like (Sales); Marketing says its own words about a partial day.
  if (data.partialDay && data.comparedUntil) {
    note.append(el('span', {
      class: 'partial-day',
      text: `. Сегодня — неполный день: сравнение с тем же временем суток (последний день прошлого периода — до ${formatDateTime(data.comparedUntil).slice(-5)})`,
    }));
  }
  return note;
}

/** An event as people name it everywhere: «Название (Казань)»; a deleted one says so. */
export function eventLabel(name, city, deleted = false) {
  const label = name || 'Без названия';
  const where = city ? `${label} (${capitalize(city)})` : label;
  return deleted ? `${where}, удалено` : where;
}

/** A table cell for eventName: the event with its city (the row's city column). */
export function eventCell(value, row) {
  return document.createTextNode(eventLabel(value, row.city, row.eventDeleted));
}

/** A label cut to `longest` characters; an event's city in brackets at its end stays whole. */
function shorten(label, longest) {
  if (label.length <= longest) return label;
  const city = / \([^()]+\)(, удалено)?$/.exec(label)?.[0] ?? '';
  return `${label.slice(0, Math.max(longest - city.length - 1, 4))}…${city}`;
}

/**
 * A top-N list as horizontal bars of money; `onClick(index)` gets the clicked bar (for the drill-down),
 * `describe` the chart's accessible name and text summary.
 */
export function horizontalBars(container, pairs, color = COLORS.revenue, { onClick, describe } = {}) {
  if (!pairs.length) return;
  // Long event names are cut so the bars keep most of the width, more so on a phone.
  const longest = container.clientWidth < 500 ? 16 : 28;
  chart(container, {
    type: 'bar',
    data: { labels: pairs.map(([label]) => label), datasets: [{ label: 'Выручка, ₽', data: pairs.map(([, value]) => value), backgroundColor: color }] },
    options: {
      indexAxis: 'y',
      onClick: onClick ? (_, elements) => { if (elements.length) onClick(elements[0].index); } : undefined,
      onHover: onClick ? (event, elements) => { event.native.target.style.cursor = elements.length ? 'pointer' : 'default'; } : undefined,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => formatMoney(item.raw) } } },
      scales: {
        x: { beginAtZero: true, ticks: { maxRotation: 0, maxTicksLimit: 5, callback: (value) => formatMoneyShort(value) } },
        y: { ticks: { callback(value) { return shorten(this.getLabelForValue(value), longest); } } },
      },
    },
  }, Math.max(160, pairs.length * 26 + 40), describe ?? {
    label: 'Выручка',
    summary: pairs.slice(0, 3).map(([label, value]) => `${label}: ${formatMoney(value)}`).join('; '),
  });
}

/** A figure that is unknown (no spend is loaded for it), never 0: "—" or `text`, with the reason on hover and for screen readers. */
export function unknown(hint, text = EMPTY) {
  return el('span', { class: 'no-spend', title: hint, 'aria-label': `${text} (${hint})`, text });
}
