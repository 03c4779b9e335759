// city: to be built (issue 15).
import { card, el } from '../ui.js';

export async function render({ root }) {
  const placeholder = card('city');
  placeholder.body.replaceChildren(el('div', { class: 'empty', text: 'Нет данных' }));
  root.append(el('div', { class: 'grid' }, placeholder.node));
}
