// Russian number and date formats: 1 234 567 ₽, 12,5 %, dd.MM.yyyy, Moscow time.
const integer = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB', maximumFractionDigits: 0 });
const compactMoney = new Intl.NumberFormat('ru-RU', { notation: 'compact', maximumFractionDigits: 1 });
const ratio = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 1 });
const moscowDateTime = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

const moscowTime = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' });

export const EMPTY = '—';

/** An instant (ISO with an offset) as HH:mm in Moscow. */
export function formatTime(value) {
  const parsed = value ? new Date(value) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? moscowTime.format(parsed) : EMPTY;
}

export function formatInt(value) { return value == null ? EMPTY : integer.format(value); }
export function formatMoney(value) { return value == null ? EMPTY : money.format(value); }
export function formatMoneyShort(value) { return value == null ? EMPTY : `${compactMoney.format(value)} ₽`; }
export function formatRatio(value) { return value == null ? EMPTY : ratio.format(value); }
/** A fraction (0.125) as 12,5 %. */
export function formatPercent(value) { return value == null ? EMPTY : percent.format(value); }

/** yyyy-MM-dd (a Moscow calendar date from the API) as dd.MM.yyyy, without passing through a time zone. */
export function formatDate(value) {
  if (!value) return EMPTY;
  const [y, m, d] = String(value).slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** A timestamp as dd.MM.yyyy HH:mm in Moscow; values without an offset are taken as already in Moscow time. */
export function formatDateTime(value) {
  if (!value) return EMPTY;
  const text = String(value);
  if (/[zZ]|[+-]\d\d:?\d\d$/.test(text)) {
    const parsed = new Date(text);
    if (!Number.isNaN(parsed.getTime())) return moscowDateTime.format(parsed);
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(text);
  return match ? `${match[3]}.${match[2]}.${match[1]}, ${match[4]}:${match[5]}` : text;
}

/** Canonical city names are lower-case: shown as Нижний Новгород, Ростов-на-Дону; spend no rule placed is 'unknown'. */
export function capitalize(text) {
  if (!text) return text;
  if (text === 'unknown') return 'Без города';
  // Every word and every long part of a hyphenated one: Ростов-на-Дону keeps its small "на".
  const word = (text) => text.split('-')
    .map((part, i) => (i === 0 || part.length > 2 ? part.charAt(0).toUpperCase() + part.slice(1) : part)).join('-');
  return String(text).split(' ').map(word).join(' ');
}

export function formatLag(minutes) {
  if (minutes == null) return EMPTY;
  if (minutes < 60) return `${integer.format(minutes)} мин`;
  if (minutes < 48 * 60) return `${integer.format(Math.floor(minutes / 60))} ч ${integer.format(minutes % 60)} мин`;
  return `${integer.format(Math.floor(minutes / 1440))} дн`;
}

/** A cell's text by the column type the API declares. */
export function formatByType(type, value) {
  switch (type) {
    case 'int': return formatInt(value);
    case 'money': return formatMoney(value);
    case 'ratio': return formatRatio(value);
    // Percent columns hold fractions (0.125 = 12,5 %); KPI changes are the only percent numbers.
    case 'percent': return formatPercent(value);
    case 'bool': return value == null ? EMPTY : value ? 'да' : 'нет';
    case 'date': return formatDate(value);
    case 'datetime': return formatDateTime(value);
    default: return value == null || value === '' ? EMPTY : String(value);
  }
}
