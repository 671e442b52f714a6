/**
 * A modal confirmation (`<dialog>`): a question, a button that does it and
 * Cancel. Escape, Cancel and a click outside all answer no.
 */
import { h } from './dom';

export interface ConfirmOptions {
  title: string;
  message: string;
  /** The text of the button that goes ahead ("Turn off in production"). */
  confirm: string;
  danger?: boolean;
}

/** Resolves true when the user confirms. */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = 'confirm-title';
    const yes = h('button', { type: 'button', class: options.danger ? 'danger' : 'primary', value: 'yes' }, options.confirm);
    const no = h('button', { type: 'button', value: 'no' }, 'Cancel');
    const dialog = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, options.title),
      h('p', null, options.message),
      h('div', { class: 'buttons' }, yes, no));
    let answer = false;
    yes.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    no.addEventListener('click', () => dialog.close());
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    // the safe answer has the focus: Enter alone never changes production
    no.focus();
  });
}
