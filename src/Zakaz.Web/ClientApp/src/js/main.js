// The dashboard shell: routes by path, keeps the global filters in the URL, drills down (city → event → campaign)
// with a breadcrumb back, shows the data freshness and when the figures were updated, and draws the page again
// after every load (it polls the data version).
import { getJson } from './api.js';
import { apiParams, filtersToSearch, readFilters, resolveRange, describeRange } from './filters.js';
import { capitalize, formatDateTime, formatLag, formatTime } from './format.js';
import { destroyCharts, el, setupChartDefaults } from './ui.js';
import * as sales from './pages/sales.js';
import * as inventory from './pages/inventory.js';
import * as marketing from './pages/marketing.js';
import * as city from './pages/city.js';
import * as utm from './pages/utm.js';
import * as plan from './pages/plan.js';
import * as health from './pages/health.js';
import { eventLabel } from './pages/common.js';

const PAGES = {
  '/': ['sales', sales, 'Продажи'],
  '/inventory': ['inventory', inventory, 'События и остатки'],
  '/marketing': ['marketing', marketing, 'Маркетинг ROI'],
  '/city': ['city', city, 'Города'],
  '/utm': ['utm', utm, 'UTM'],
  '/plan': ['plan', plan, 'План / факт'],
  '/health': ['health', health, 'Качество данных'],
};
const STATUS_TEXT = { green: 'данные свежие', amber: 'данные запаздывают', red: 'данные устарели' };
const OFFLINE_TEXT = 'нет связи с сервером';
/** How often an open page asks whether a load has finished; also asked when the tab gets the focus back. */
const VERSION_POLL_MS = 30_000;
/** Where a refused filter's reason is shown: beside the control of the query parameter the API names. */
const FILTER_FIELDS = {
  city: 'details[data-name=city]', event: 'details[data-name=event]', from: '.custom-dates:has(input[name=from])',
  to: '.custom-dates:has(input[name=to])', source: '.by-source', campaign: '#crumbs',
};

const form = document.getElementById('filters');
const errorBanner = document.getElementById('error');
const badge = document.getElementById('freshness');
let meta = null;
// Each render has a number, so a slow earlier render cannot mark a newer one ready.
let renders = 0;
let version = null;

function showError(message) {
  errorBanner.textContent = message;
  errorBanner.hidden = !message;
}

/** The badge says the server cannot be reached: red, whatever the data's own freshness was. */
function showOffline(error) {
  badge.dataset.status = 'red';
  badge.dataset.offline = 'true';
  badge.querySelector('.text').textContent = OFFLINE_TEXT;
  badge.title = error.message;
}

async function loadFreshness() {
  try {
    const freshness = await getJson('/api/freshness');
    delete badge.dataset.offline;
    badge.dataset.status = freshness.status;
    const lag = Math.max(...freshness.sources.map((source) => source.lagMinutes ?? Infinity));
    const lagText = Number.isFinite(lag) ? `, отставание ${formatLag(lag)}` : '';
    badge.querySelector('.text').textContent = `${STATUS_TEXT[freshness.status] ?? 'свежесть неизвестна'}${lagText}`;
    badge.title = freshness.sources.map((source) =>
      `${source.source}: загружено ${formatDateTime(source.lastLoadedAt)}, отставание ${formatLag(source.lagMinutes)}`).join('\n');
  } catch (error) {
    if (error.offline) showOffline(error);
    else {
      badge.dataset.status = 'red';
      badge.querySelector('.text').textContent = 'свежесть неизвестна';
      badge.title = error.message;
    }
  }
}

/**
 * Asks the data version: a new one means a load finished, so the page is drawn again where it was scrolled
 * to; the header says when the figures were loaded. A failure turns the badge red.
 */
async function checkVersion() {
  let answer;
  try {
    answer = await getJson('/api/version');
  } catch (error) {
    if (error.offline) showOffline(error);
    return;
  }
  const updated = document.getElementById('updated');
  updated.textContent = answer.loadedAt ? `Обновлено ${formatTime(answer.loadedAt)}` : '';
  updated.title = answer.loadedAt ? `Данные загружены ${formatDateTime(answer.loadedAt)} (МСК)` : '';
  const changed = version !== null && answer.version !== version;
  const wasOffline = badge.dataset.offline === 'true';
  version = answer.version;
  if (changed || wasOffline) loadFreshness();
  if (changed) {
    const scroll = window.scrollY;
    // A load may bring new events and cities (and a new today): the lists first, then the figures.
    try { meta = await getJson('/api/filters'); } catch { /* the previous lists still serve; the cards will say what failed */ }
    await render();
    window.scrollTo(0, scroll);
  }
}

/** One checkbox dropdown (city or event); its summary says what is chosen, values no list has included. */
function fillMulti(name, options, chosen) {
  const details = form.querySelector(`details[data-name=${name}]`);
  const list = details.querySelector('.options');
  const unknown = chosen.filter((value) => !options.some((option) => option.value === value)).map((value) => ({ value, label: value }));
  const all = [...options, ...unknown];
  list.replaceChildren(
    el('button', { type: 'button', class: 'clear', text: 'Сбросить', onclick: () => { setMulti(name, []); apply(); } }),
    ...all.map((option) => el('label', { class: 'option' },
      el('input', { type: 'checkbox', name, value: option.value, checked: chosen.includes(option.value) }),
      el('span', { text: option.label }))));
  const labels = all.filter((option) => chosen.includes(option.value)).map((option) => option.label);
  details.querySelector('.value').textContent =
    labels.length === 0 ? 'все' : labels.length <= 2 ? labels.join(', ') : `выбрано: ${labels.length}`;
}

function setMulti(name, values) {
  for (const box of form.querySelectorAll(`input[name=${name}]`)) box.checked = values.includes(box.value);
}

function eventLabelOf(id) {
  const event = meta.events.find((item) => String(item.id) === String(id));
  return event ? eventLabel(event.name, event.city) : `Событие ${id}`;
}

function syncForm(filters, page, key) {
  form.range.value = filters.range;
  form.source.value = filters.source;
  form.classList.toggle('custom', filters.range === 'custom');
  const [from, to] = resolveRange(filters, meta.today, Boolean(page.completeDays));
  form.from.value = from;
  form.to.value = to;
  // The plan looks ahead: its period may end in the future.
  for (const input of [form.from, form.to]) { input.min = meta.minDate ?? ''; input.max = key === 'plan' ? '' : meta.today; }
  const complete = page.completeDays && filters.range !== 'custom' && to < meta.today ? ' · полные дни, по вчера' : '';
  document.getElementById('period').textContent = describeRange(from, to) + complete;
  fillMulti('city', meta.cities.map((name) => ({ value: name, label: capitalize(name) })), filters.cities);
  // Events follow the chosen cities, so the list stays short; chosen events are always listed.
  const events = meta.events.filter((event) =>
    filters.cities.length === 0 || filters.cities.includes(event.city) || filters.events.includes(String(event.id)));
  fillMulti('event', events.map((event) => ({ value: String(event.id), label: eventLabelOf(event.id) })), filters.events);
}

function formFilters() {
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);
  return {
    range: form.range.value, from: form.from.value || null, to: form.to.value || null,
    cities: checked('city'), events: checked('event'), campaigns: readFilters().campaigns, source: form.source.value,
  };
}

/** Goes to the filters: the URL first (shareable, and the back button steps back), then the page. */
function navigate(filters) {
  const search = filtersToSearch(filters);
  if (search !== location.search) history.pushState(null, '', location.pathname + search);
  render();
}

function apply() { navigate(formFilters()); }

/** A click on a city, event or campaign narrows the filters to it, keeping the period and the platform. */
function onDrill({ detail }) {
  const filters = readFilters();
  if (detail.city) navigate({ ...filters, cities: [detail.city], events: [], campaigns: [] });
  else if (detail.event) {
    const event = meta.events.find((item) => String(item.id) === String(detail.event));
    navigate({ ...filters, cities: event ? [event.city] : filters.cities, events: [String(detail.event)], campaigns: [] });
  } else if (detail.campaign) navigate({ ...filters, campaigns: [detail.campaign] });
}

/** «Все города › Казань › Событие (Казань) › кампания»: each step but the last goes back to it. */
function renderCrumbs(filters) {
  const crumbs = document.getElementById('crumbs');
  const steps = [['Все города', { ...filters, cities: [], events: [], campaigns: [] }]];
  if (filters.cities.length) steps.push([filters.cities.map(capitalize).join(', '), { ...filters, events: [], campaigns: [] }]);
  if (filters.events.length) steps.push([filters.events.map(eventLabelOf).join(', '), { ...filters, campaigns: [] }]);
  if (filters.campaigns.length) steps.push([filters.campaigns.join(', '), filters]);
  crumbs.hidden = steps.length === 1;
  const list = el('ol', {}, steps.map(([label, target], i) => {
    if (i === steps.length - 1) return el('li', {}, el('span', { 'aria-current': 'location', text: label }));
    const link = el('a', { href: location.pathname + filtersToSearch(target), text: label });
    link.addEventListener('click', (event) => { event.preventDefault(); navigate(target); });
    return el('li', {}, link);
  }));
  crumbs.replaceChildren(list);
}

/** A filter the API refused: its reason beside that filter (and the control marked invalid), not only in the cards. */
function onBadFilter({ detail }) {
  const field = form.querySelector(FILTER_FIELDS[detail.parameter]) ?? document.querySelector(FILTER_FIELDS[detail.parameter] ?? '#filters');
  const id = `filter-error-${detail.parameter}`;
  if (!field || document.getElementById(id)) return;
  const message = el('span', { class: 'filter-error', id, role: 'alert', 'data-parameter': detail.parameter, text: detail.reason });
  // A closed dropdown hides everything but its summary: its reason goes right after it.
  if (field.matches('details')) field.after(message);
  else field.append(message);
  const control = field.querySelector('summary, input, select');
  control?.setAttribute('aria-invalid', 'true');
  control?.setAttribute('aria-describedby', id);
}

function clearBadFilters() {
  for (const message of document.querySelectorAll('.filter-error')) message.remove();
  for (const control of document.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    control.removeAttribute('aria-describedby');
  }
}

async function render() {
  const filters = readFilters();
  const [key, page, title] = PAGES[location.pathname.replace(/\/+$/, '') || '/'] ?? PAGES['/'];
  clearBadFilters();
  syncForm(filters, page, key);
  renderCrumbs(filters);
  document.title = `${title} — Zakaz`;
  // Pages that split their figures by ad platform say so (bySource); the others neither show nor send it.
  form.classList.toggle('by-source', Boolean(page.bySource));
  for (const link of document.querySelectorAll('.nav a')) {
    const active = link.dataset.page === key;
    link.classList.toggle('active', active);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    link.href = link.getAttribute('href').split('?')[0] + location.search;
  }
  document.querySelector('.brand').href = `/${location.search}`;
  badge.href = `/health${location.search}`;
  const root = document.getElementById('page');
  const current = ++renders;
  root.dataset.ready = 'false';
  destroyCharts();
  root.replaceChildren(el('h1', { class: 'page-title', text: title }));
  root.dataset.page = key;
  const [from, to] = resolveRange(filters, meta.today, Boolean(page.completeDays));
  await page.render({ root, filters, from, to, params: apiParams(filters, meta.today, page.bySource, Boolean(page.completeDays)), meta });
  if (current === renders) root.dataset.ready = 'true';
}

/** The city and event dropdowns by keyboard: Enter or Space opens (the summary's own), Escape closes and returns focus. */
function closeDropdown(details) {
  details.open = false;
  details.querySelector('summary').focus();
}

async function start() {
  setupChartDefaults();
  try {
    meta = await getJson('/api/filters');
  } catch (error) {
    if (error.offline) showOffline(error);
    showError(`Не удалось загрузить фильтры: ${error.message}`);
    return;
  }
  form.addEventListener('change', (event) => {
    if (event.target.name === 'range' && event.target.value === 'custom') {
      // Custom starts from the dates currently shown, so picking it alone does not change the numbers.
      form.classList.add('custom');
    }
    apply();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('keydown', (event) => {
    const details = event.target.closest('details[open]');
    if (event.key === 'Escape' && details) {
      event.preventDefault();
      closeDropdown(details);
    }
  });
  // A click outside closes the open dropdown, as a native select would; so does the focus leaving it.
  document.addEventListener('click', (event) => {
    for (const details of form.querySelectorAll('details[open]')) if (!details.contains(event.target)) details.open = false;
  });
  form.addEventListener('focusout', (event) => {
    const details = event.target.closest('details[open]');
    if (details && event.relatedTarget && !details.contains(event.relatedTarget)) details.open = false;
  });
  window.addEventListener('popstate', render);
  window.addEventListener('zakaz:drill', onDrill);
  window.addEventListener('zakaz:bad-filter', onBadFilter);
  loadFreshness();
  checkVersion();
  setInterval(loadFreshness, 60_000);
  setInterval(checkVersion, VERSION_POLL_MS);
  // A tab coming back (a laptop waking up) asks at once rather than at the next tick.
  window.addEventListener('focus', checkVersion);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') checkVersion(); });
  await render();
}

start();
