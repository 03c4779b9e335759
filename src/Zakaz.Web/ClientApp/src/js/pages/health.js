// Data health: freshness per source, the alerts, the last job runs, data-quality checks, all in Russian words,
// numbers and units; the API keeps its codes (ok, error, green…) and English details for tools and the CSV.
import { getJson } from '../api.js';
import { formatDateTime, formatInt, formatLag, formatMoney } from '../format.js';
import { card, el, fill, light, table } from '../ui.js';

const SOURCES = { qtickets: 'Qtickets', vk_ads: 'VK Реклама', yandex_direct: 'Яндекс Директ', sheets: 'Google Таблицы', plans: 'План' };
const SOURCE_STATUS = { green: 'свежие (до 2 ч)', amber: 'запаздывают (до 6 ч)', red: 'устарели или ошибка', no_data: 'нет данных' };
const RUN_STATUS = { ok: ['green', 'успешно'], running: ['amber', 'выполняется'], error: ['red', 'ошибка'] };
const CHECK_STATUS = { ok: ['green', 'в норме'], fail: ['red', 'нарушена'], no_data: ['none', 'нет данных'] };
const CHECKS = {
  duplicate_keys: 'Повторы ключей',
  negative_values: 'Отрицательные значения',
  orders_without_event: 'Заказы без события',
  spend_without_city: 'Расходы без города',
  revenue_without_utm: 'Выручка без UTM',
};
const ALERT_STATUS = { firing: ['red', 'активно'], resolved: ['green', 'решено'] };
const UNITS = { keys: 'ключей', rows: 'строк', sales: 'продаж' };
const decimal = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });

const sourceName = (source) => SOURCES[source] ?? source;

const JOBS = {
  'qtickets.orders': 'Qtickets: заказы',
  'qtickets.inventory': 'Qtickets: остатки',
  'qtickets.reconcile': 'Qtickets: сверка',
  'qtickets.reconcile_full': 'Qtickets: полная сверка',
  'vk_ads.daily': 'VK Реклама: статистика',
  'yandex_direct.daily': 'Яндекс Директ: статистика',
  'sheets.sync': 'Google Таблицы: план и остатки',
  'plans.import': 'Импорт плана',
  'facts.rebuild': 'Пересчёт фактов',
  'quality.checks': 'Проверки качества',
  'alerts.evaluate': 'Оповещения',
  'digest.send': 'Утренняя сводка',
  'store.backup': 'Резервная копия',
  'sandbox.sales': 'Песочница: продажи',
};

/** A job as people call it: «Qtickets: заказы» for qtickets.orders; an unknown one by its code. */
const jobName = (job) => JOBS[job] ?? job;

function checkName(check) {
  if (CHECKS[check]) return CHECKS[check];
  const freshness = /^freshness_(.+)$/.exec(check ?? '');
  return freshness ? `Свежесть: ${sourceName(freshness[1])}` : check;
}

/** 63 → «1 мин 3 с», 3725 → «1 ч 2 мин». */
function formatDuration(seconds) {
  if (seconds == null) return '—';
  if (seconds < 60) return `${formatInt(seconds)} с`;
  if (seconds < 3600) return `${formatInt(Math.floor(seconds / 60))} мин ${formatInt(seconds % 60)} с`;
  return `${formatInt(Math.floor(seconds / 3600))} ч ${formatInt(Math.floor((seconds % 3600) / 60))} мин`;
}

function checkValue(value, row) {
  if (value == null) return '—';
  if (row.unit === '%') return `${decimal.format(value)} %`;
  if (row.unit === 'min') return formatLag(value);
  return `${formatInt(value)}${UNITS[row.unit] ? ` ${UNITS[row.unit]}` : ''}`;
}

/** The thresholds the checks write («<= 20 %», «<= 360 min, last run ok», «0») in Russian. */
function threshold(text) {
  const share = /^<= ([\d.]+) %$/.exec(text ?? '');
  if (share) return `не больше ${decimal.format(Number(share[1]))} %`;
  const minutes = /^<= (\d+) min, last run ok$/.exec(text ?? '');
  if (minutes) return `загрузка не старше ${formatLag(Number(minutes[1]))}, последний запуск успешен`;
  if (/tables hold each key once$/.test(text ?? '') || /have no negative value$/.test(text ?? '') || /refer to known events$/.test(text ?? '') || text === '0') return 'ни одного';
  return text || '—';
}

/** The checks' details (English, for the logs and the CLI) in Russian where their shape is known; the original stays in the title. */
const DETAILS = [
  [/^([\d,.]+) of ([\d,.]+) roubles \(([\d.]+) %\) of ad spend has no city$/, (m) => `${money(m[1])} из ${money(m[2])} (${percent(m[3])}) расходов без города`],
  [/^([\d,.]+) of ([\d,.]+) roubles \(([\d.]+) %\) of revenue has no utm_source$/, (m) => `${money(m[1])} из ${money(m[2])} (${percent(m[3])}) выручки без utm_source`],
  [/^negative: (.+)$/, (m) => `отрицательные значения: ${m[1]}`],
  [/^stored in more than one partition: (.+)$/, (m) => `ключи в нескольких партициях: ${m[1]}`],
  [/^no ad spend loaded$/, () => 'расходов на рекламу ещё нет'],
  [/^no revenue in the UTM facts$/, () => 'выручки с UTM ещё нет'],
  [/^no sales loaded$/, () => 'продаж ещё нет'],
  [/^never loaded$/, () => 'ещё не загружался'],
  [/^all (\d+) sales refer to known events$/, (m) => `все ${formatInt(Number(m[1]))} продаж относятся к известным событиям`],
  [/^(\d+) versioned tables hold each key once$/, (m) => `в ${formatInt(Number(m[1]))} версионных таблицах каждый ключ хранится один раз`],
  [/^(\d+) signed columns in (\d+) tables have no negative value$/, (m) => `в ${formatInt(Number(m[1]))} числовых столбцах ${formatInt(Number(m[2]))} таблиц нет отрицательных значений`],
  [/^(green|amber): last load (\d+) min ago; (.+)$/, (m) => `последняя загрузка ${formatLag(Number(m[2]))} назад; ${newest(m[3])}`],
  [/^red: last successful load (\d+) min ago; (.+)$/, (m) => `последняя успешная загрузка ${formatLag(Number(m[1]))} назад; ${newest(m[2])}`],
  [/^red: no successful load yet; (.+)$/, (m) => `успешных загрузок ещё не было; ${newest(m[1])}`],
  [/^red: the last run failed; last successful load (\d+) min ago$/, (m) => `последний запуск с ошибкой; последняя успешная загрузка ${formatLag(Number(m[1]))} назад`],
];
const money = (text) => formatMoney(Number(text.replaceAll(',', '')));
const percent = (text) => `${decimal.format(Number(text))} %`;
const newest = (text) => {
  const at = /^newest data (\d{4}-\d\d-\d\d \d\d:\d\d) UTC$/.exec(text);
  return at ? `новейшие данные ${formatDateTime(`${at[1].replace(' ', 'T')}:00Z`)}` : text === 'no data' ? 'данных нет' : text;
};

function detail(value) {
  const known = DETAILS.map(([pattern, say]) => [pattern.exec(value ?? ''), say]).find(([match]) => match);
  return el('span', { class: 'message', title: value ?? '', text: known ? known[1](known[0]) : value || '—' });
}

const message = (value) => el('span', { class: 'message', title: value ?? '', text: value || '—' });

export async function render({ root, params }) {
  const sources = card('Источники', { csv: '/api/health/sources', params, wide: true, id: 'sources' });
  const runs = card('Последние 50 запусков', { csv: '/api/health/runs', params, wide: true, id: 'runs' });
  const checks = card('Проверки качества данных', { csv: '/api/health/checks', params, wide: true, id: 'checks' });
  const alerts = card('Оповещения', { csv: '/api/health/alerts', params, wide: true, id: 'alerts' });
  root.append(el('div', { class: 'grid' }, sources.node, alerts.node, checks.node, runs.node));
  await Promise.all([
    fill(sources.body, () => getJson('/api/health/sources', params), (data, body) => body.append(table(data, {
      cells: {
        source: (value) => document.createTextNode(sourceName(value)),
        status: (value) => light(value === 'no_data' ? 'none' : value, SOURCE_STATUS[value] ?? value),
        lagMinutes: (value) => document.createTextNode(formatLag(value)),
      },
      empty: 'Источники ещё не загружались',
    }))),
    fill(alerts.body, () => getJson('/api/health/alerts', params), (data, body) => body.append(table(data, {
      cells: {
        status: (value) => light(...(ALERT_STATUS[value] ?? ['none', value])),
        lastError: message,
      },
      empty: 'Оповещений за неделю не было',
    }))),
    // The run id is for looking a run up in the logs: behind the job's name, not a column of its own.
    fill(runs.body, () => getJson('/api/health/runs', params), (data, body) => body.append(table({ ...data, columns: data.columns.filter((column) => column.key !== 'runId') }, {
      cells: {
        job: (value, row) => el('details', { class: 'run' },
          el('summary', { text: jobName(value) }),
          el('span', { class: 'run-id', text: `Запуск ${row.runId}` })),
        status: (value) => light(...(RUN_STATUS[value] ?? ['none', value])),
        durationS: (value) => document.createTextNode(formatDuration(value)),
        message,
      },
      rowClass: (row) => (row.status === 'error' ? 'failed-run' : null),
      empty: 'Запусков ещё не было',
    }))),
    fill(checks.body, () => getJson('/api/health/checks', params), (data, body) => body.append(table({ ...data, columns: data.columns.filter((column) => column.key !== 'unit') }, {
      cells: {
        check: (value) => el('span', { title: value, text: checkName(value) }),
        status: (value) => light(...(CHECK_STATUS[value] ?? ['none', value])),
        value: (value, row) => document.createTextNode(checkValue(value, row)),
        threshold: (value) => document.createTextNode(threshold(value)),
        detail,
      },
      empty: 'Проверок нет',
    }))),
  ]);
}
