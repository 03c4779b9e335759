// The JSON API behind the pages (see the README). A 401 sends the user to the login page.
export class ApiError extends Error {}

function redirectToLogin() {
  location.assign(`/login?return=${encodeURIComponent(location.pathname + location.search)}`);
}

export function apiUrl(path, params, extra = {}) {
  const query = new URLSearchParams(params);
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export async function getJson(path, params = new URLSearchParams()) {
  const response = await fetch(apiUrl(path, params), { headers: { Accept: 'application/json' } });
  if (response.status === 401) {
    redirectToLogin();
    throw new ApiError('Нужен вход');
  }
  if (!response.ok) {
    let reason = `${response.status} ${response.statusText}`;
    try { reason = (await response.json()).detail ?? reason; } catch { /* the status line is the reason */ }
    throw new ApiError(`${path}: ${reason}`);
  }
  return response.json();
}
