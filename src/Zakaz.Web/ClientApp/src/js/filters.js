// The global filters. They live in the URL (range, from, to, city…, event…, campaign…, source) so a view can be
// shared and bookmarked; presets stay relative ("7d" is always the last seven days), a custom range keeps its dates.
// city → event → campaign is also the drill-down path (see main.js and its breadcrumb).
import { formatDate } from './format.js';

export const PRESETS = ['today', 'yesterday', '7d', '30d', 'month', 'lastmonth', 'custom'];
const DEFAULT_PRESET = '30d';
/** The ad platforms the source filter offers (the API's `source` values), as people call them. */
export const PLATFORMS = { vk_ads: 'VK Реклама', yandex_direct: 'Яндекс Директ' };

function parseDay(text) {
  const [y, m, d] = text.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
function printDay(date) { return date.toISOString().slice(0, 10); }
function addDays(text, days) {
  const date = parseDay(text);
  date.setUTCDate(date.getUTCDate() + days);
  return printDay(date);
}
const isDay = (text) => typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text);

/**
 * The inclusive [from, to] of a preset, relative to today in Moscow (as the API reports it). With
 * `completeDays` (pages on ad platform figures, which report up to yesterday) the rolling presets end
 * yesterday: 7 d is the seven days before today, this month runs to yesterday.
 */
export function presetRange(preset, today, completeDays = false) {
  const end = completeDays ? addDays(today, -1) : today;
  switch (preset) {
    case 'today': return [today, today];
    case 'yesterday': { const day = addDays(today, -1); return [day, day]; }
    case '7d': return [addDays(end, -6), end];
    // On the 1st, with complete days, "this month" has no full day yet: it shows today rather than last month.
    case 'month': return [`${today.slice(0, 8)}01`, end < `${today.slice(0, 8)}01` ? today : end];
    case 'lastmonth': {
      const lastDay = addDays(`${today.slice(0, 8)}01`, -1);
      return [`${lastDay.slice(0, 8)}01`, lastDay];
    }
    default: return [addDays(end, -29), end];
  }
}

export function readFilters(search = location.search) {
  const query = new URLSearchParams(search);
  let range = query.get('range');
  const from = query.get('from');
  const to = query.get('to');
  if (!PRESETS.includes(range)) range = isDay(from) && isDay(to) ? 'custom' : DEFAULT_PRESET;
  return {
    range,
    from: isDay(from) ? from : null,
    to: isDay(to) ? to : null,
    cities: query.getAll('city'),
    events: query.getAll('event'),
    campaigns: query.getAll('campaign'),
    source: Object.hasOwn(PLATFORMS, query.get('source')) ? query.get('source') : '',
  };
}

/** The query string of the page's URL: only what differs from the defaults. */
export function filtersToSearch(filters) {
  const query = new URLSearchParams();
  if (filters.range !== DEFAULT_PRESET) query.set('range', filters.range);
  if (filters.range === 'custom') {
    if (filters.from) query.set('from', filters.from);
    if (filters.to) query.set('to', filters.to);
  }
  for (const city of filters.cities) query.append('city', city);
  for (const event of filters.events) query.append('event', event);
  for (const campaign of filters.campaigns ?? []) query.append('campaign', campaign);
  if (filters.source) query.set('source', filters.source);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The resolved dates of the filters; `completeDays` as in presetRange. */
export function resolveRange(filters, today, completeDays = false) {
  if (filters.range === 'custom' && filters.from && filters.to) {
    return filters.from <= filters.to ? [filters.from, filters.to] : [filters.to, filters.from];
  }
  return presetRange(filters.range === 'custom' ? DEFAULT_PRESET : filters.range, today, completeDays);
}

/**
 * The API's query parameters for the filters: from, to, city…, event…, campaign…, and source where the page
 * applies it (bySource); `completeDays` as in presetRange.
 */
export function apiParams(filters, today, bySource = false, completeDays = false) {
  const [from, to] = resolveRange(filters, today, completeDays);
  const query = new URLSearchParams({ from, to });
  for (const city of filters.cities) query.append('city', city);
  for (const event of filters.events) query.append('event', event);
  for (const campaign of filters.campaigns ?? []) query.append('campaign', campaign);
  if (bySource && filters.source) query.set('source', filters.source);
  return query;
}

export function describeRange(from, to) {
  return from === to ? formatDate(from) : `${formatDate(from)} — ${formatDate(to)}`;
}
