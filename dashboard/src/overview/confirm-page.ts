import { html, type Html } from './html.ts';

/** What an action will do, said before it is done; the form posts to the same address. */
export interface Confirmation {
  title: string;
  /** What happens, in the operator's words. */
  consequence: string;
  action: string;
  fields: Record<string, string>;
  button: string;
  danger: boolean;
  cancel: string;
}

export function confirmLive(c: Confirmation): Html {
  return html`<h1>${c.title}</h1>
    <p>${c.consequence}</p>
    <form method="post" action="${c.action}" class="actions">
      ${Object.entries(c.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
      <button type="submit" class="${c.danger ? 'danger' : 'primary'}" autofocus>${c.button}</button>
      <a class="button" href="${c.cancel}">Cancel</a>
    </form>`;
}

/** An action that failed: what the API said, and the way back. */
export function failedLive(title: string, message: string, back: string): Html {
  return html`<h1>${title}</h1>
    <div class="notice failed" role="alert"><strong>✖ Not done:</strong> ${message}</div>
    <p><a href="${back}">◀ Back</a></p>`;
}
