// Data health: freshness per source, the alerts, the last job runs, data-quality checks.
import { getJson } from '../api.js';
import { formatLag } from '../format.js';
import { card, el, fill, light, table } from '../ui.js';

const SOURCE_STATUS = { green: 'свежие (до 2 ч)', amber: 'запаздывают (до 6 ч)', red: 'устарели или ошибка' };
const RUN_STATUS = { ok: 'green', running: 'amber', error: 'red' };
const CHECK_STATUS = { ok: 'green', fail: 'red', no_data: 'none' };
const CHECK_TEXT = { ok: 'в норме', fail: 'ошибка', no_data: 'нет данных' };
const ALERT_STATUS = { firing: ['red', 'активно'], resolved: ['green', 'решено'] };

export async function render({ root, params }) {
  const sources = card('Источники', { csv: '/api/health/sources', params, wide: true, id: 'sources' });
  const runs = card('Последние 50 запусков', { csv: '/api/health/runs', params, wide: true, id: 'runs' });
  const checks = card('Проверки качества данных', { csv: '/api/health/checks', params, wide: true, id: 'checks' });
  const alerts = card('Оповещения', { csv: '/api/health/alerts', params, wide: true, id: 'alerts' });
  root.append(el('div', { class: 'grid' }, sources.node, alerts.node, checks.node, runs.node));
  await Promise.all([
    fill(sources.body, () => getJson('/api/health/sources', params), (data, body) => body.append(table(data, {
      cells: {
        status: (value) => light(value, SOURCE_STATUS[value] ?? value),
        lagMinutes: (value) => document.createTextNode(formatLag(value)),
      },
      empty: 'Источники ещё не загружались',
    }))),
    fill(alerts.body, () => getJson('/api/health/alerts', params), (data, body) => body.append(table(data, {
      cells: {
        status: (value) => light(...(ALERT_STATUS[value] ?? ['none', value])),
        lastError: (value) => el('span', { class: 'message', title: value ?? '', text: value || '—' }),
      },
      empty: 'Оповещений за неделю не было',
    }))),
    fill(runs.body, () => getJson('/api/health/runs', params), (data, body) => body.append(table(data, {
      cells: {
        status: (value) => light(RUN_STATUS[value] ?? 'none', value),
        message: (value) => el('span', { class: 'message', title: value ?? '', text: value || '—' }),
      },
      rowClass: (row) => (row.status === 'error' ? 'failed-run' : null),
      empty: 'Запусков ещё не было',
    }))),
    fill(checks.body, () => getJson('/api/health/checks', params), (data, body) => body.append(table(data, {
      cells: { status: (value) => light(CHECK_STATUS[value] ?? 'none', CHECK_TEXT[value] ?? value) },
      empty: 'Проверок нет',
    }))),
  ]);
}
