// The dashboard shell: routes by path, keeps the global filters in the URL, shows the data freshness.
import { getJson } from './api.js';
import { apiParams, filtersToSearch, readFilters, resolveRange, describeRange } from './filters.js';
import { capitalize, formatDateTime, formatLag } from './format.js';
import { destroyCharts, el, setupChartDefaults } from './ui.js';
import * as sales from './pages/sales.js';
import * as inventory from './pages/inventory.js';
import * as marketing from './pages/marketing.js';
import * as city from './pages/city.js';
import * as utm from './pages/utm.js';
import * as plan from './pages/plan.js';
import * as health from './pages/health.js';

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

const form = document.getElementById('filters');
const errorBanner = document.getElementById('error');
let meta = null;
// Each render has a number, so a slow earlier render cannot mark a newer one ready.
let renders = 0;

function showError(message) {
  errorBanner.textContent = message;
  errorBanner.hidden = !message;
}

async function loadFreshness() {
  const badge = document.getElementById('freshness');
  try {
    const freshness = await getJson('/api/freshness');
    badge.dataset.status = freshness.status;
    const lag = Math.max(...freshness.sources.map((source) => source.lagMinutes ?? Infinity));
    const lagText = Number.isFinite(lag) ? `, отставание ${formatLag(lag)}` : '';
    badge.querySelector('.text').textContent = `${STATUS_TEXT[freshness.status] ?? 'свежесть неизвестна'}${lagText}`;
    badge.title = freshness.sources.map((source) =>
      `${source.source}: загружено ${formatDateTime(source.lastLoadedAt)}, отставание ${formatLag(source.lagMinutes)}`).join('\n');
  } catch (error) {
    badge.dataset.status = 'red';
    badge.querySelector('.text').textContent = 'свежесть неизвестна';
    badge.title = error.message;
  }
}

/** One checkbox dropdown (city or event); its summary says what is chosen. */
function fillMulti(name, options, chosen) {
  const details = form.querySelector(`details[data-name=${name}]`);
  const list = details.querySelector('.options');
  list.replaceChildren(
    el('button', { type: 'button', class: 'clear', text: 'Сбросить', onclick: () => { setMulti(name, []); apply(); } }),
    ...options.map((option) => el('label', { class: 'option' },
      el('input', { type: 'checkbox', name, value: option.value, checked: chosen.includes(option.value) }),
      el('span', { text: option.label }))));
  const labels = options.filter((option) => chosen.includes(option.value)).map((option) => option.label);
  details.querySelector('.value').textContent =
    labels.length === 0 ? 'все' : labels.length <= 2 ? labels.join(', ') : `выбрано: ${labels.length}`;
}

function setMulti(name, values) {
  for (const box of form.querySelectorAll(`input[name=${name}]`)) box.checked = values.includes(box.value);
}

function syncForm(filters) {
  form.range.value = filters.range;
  form.source.value = filters.source;
  form.classList.toggle('custom', filters.range === 'custom');
  const [from, to] = resolveRange(filters, meta.today);
  form.from.value = from;
  form.to.value = to;
  for (const input of [form.from, form.to]) { input.min = meta.minDate ?? ''; input.max = meta.today; }
  document.getElementById('period').textContent = describeRange(from, to);
  fillMulti('city', meta.cities.map((city) => ({ value: city, label: capitalize(city) })), filters.cities);
  // Events follow the chosen cities, so the list stays short; chosen events are always listed.
  const events = meta.events.filter((event) =>
    filters.cities.length === 0 || filters.cities.includes(event.city) || filters.events.includes(String(event.id)));
  fillMulti('event', events.map((event) => ({ value: String(event.id), label: `${event.name} (${capitalize(event.city)})` })), filters.events);
}

function formFilters() {
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);
  return {
    range: form.range.value, from: form.from.value || null, to: form.to.value || null,
    cities: checked('city'), events: checked('event'), source: form.source.value,
  };
}

/** The filters changed: the URL first (shareable), then the page. */
function apply() {
  const search = filtersToSearch(formFilters());
  if (search !== location.search) history.pushState(null, '', location.pathname + search);
  render();
}

async function render() {
  const filters = readFilters();
  syncForm(filters);
  const [key, page, title] = PAGES[location.pathname.replace(/\/+$/, '') || '/'] ?? PAGES['/'];
  document.title = `${title} — Zakaz`;
  // Pages that split their figures by ad platform say so (bySource); the others neither show nor send it.
  form.classList.toggle('by-source', Boolean(page.bySource));
  for (const link of document.querySelectorAll('.nav a')) {
    link.classList.toggle('active', link.dataset.page === key);
    link.href = link.getAttribute('href').split('?')[0] + location.search;
  }
  document.querySelector('.brand').href = `/${location.search}`;
  document.getElementById('freshness').href = `/health${location.search}`;
  const root = document.getElementById('page');
  const current = ++renders;
  root.dataset.ready = 'false';
  destroyCharts();
  root.replaceChildren();
  root.dataset.page = key;
  const [from, to] = resolveRange(filters, meta.today);
  await page.render({ root, filters, from, to, params: apiParams(filters, meta.today, page.bySource), meta });
  if (current === renders) root.dataset.ready = 'true';
}

async function start() {
  setupChartDefaults();
  try {
    meta = await getJson('/api/filters');
  } catch (error) {
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
  // A click outside closes the open dropdown, as a native select would.
  document.addEventListener('click', (event) => {
    for (const details of form.querySelectorAll('details[open]')) if (!details.contains(event.target)) details.open = false;
  });
  window.addEventListener('popstate', render);
  loadFreshness();
  setInterval(loadFreshness, 60_000);
  await render();
}

start();
