// The JSON API behind the pages (see the README). Every failure becomes an ApiError whose message is Russian,
// for people: the API's own `detail` is English (for scripts and logs), its 400s carry a Russian `reason`.
export class ApiError extends Error {
  /**
   * @param {string} message Russian, shown as is.
   * @param {{ status?: number, parameter?: string, offline?: boolean }} details the HTTP status (0: no answer),
   *   the filter a 400 refused, and whether the server could not be reached at all (or answered 5xx).
   */
  constructor(message, { status = 0, parameter = null, offline = false } = {}) {
    super(message);
    this.status = status;
    this.parameter = parameter;
    this.offline = offline;
  }
}

function redirectToLogin() {
  location.assign(`/login?return=${encodeURIComponent(location.pathname + location.search)}`);
}

export function apiUrl(path, params, extra = {}) {
  const query = new URLSearchParams(params);
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The Russian sentence for an answer that is not 2xx; a 400's own reason when it gives one. */
async function failure(response) {
  let problem = {};
  try { problem = await response.json(); } catch { /* no ProblemDetails body: the status says enough */ }
  const status = response.status;
  if (status === 400) {
    return new ApiError(problem.reason ?? 'Сервер не принял фильтры: проверьте период, города и события.', { status, parameter: problem.parameter ?? null });
  }
  if (status === 403) return new ApiError('Нет доступа к этим данным.', { status });
  if (status === 404) return new ApiError('Таких данных на сервере нет: обновите страницу.', { status });
  if (status === 429) return new ApiError('Слишком много запросов: подождите минуту и повторите.', { status });
  if (status === 503) return new ApiError('Хранилище данных сейчас не отвечает: повторите через минуту.', { status, offline: true });
  if (status >= 500) return new ApiError(`Ошибка на сервере (код ${status}): повторите позже.`, { status, offline: true });
  return new ApiError(`Неожиданный ответ сервера (код ${status}).`, { status });
}

export async function getJson(path, params = new URLSearchParams()) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), { headers: { Accept: 'application/json' } });
  } catch {
    // fetch rejects only when no answer came at all: the server is down or the network is gone.
    throw new ApiError('Нет связи с сервером: проверьте сеть или запущен ли Zakaz.', { offline: true });
  }
  if (response.status === 401) {
    redirectToLogin();
    throw new ApiError('Сеанс закончился: войдите снова.', { status: 401 });
  }
  if (!response.ok) throw await failure(response);
  return response.json();
}
