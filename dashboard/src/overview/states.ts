import type { TicketState } from '@tbe/shared';
import { html, type Html } from './html.ts';

/**
 * Each state's mark: a symbol and a word, so that states differ without colour (the colour only
 * repeats what the text says). `tone` groups states for the colour and the row highlight.
 */
const MARKS: Record<TicketState, { symbol: string; tone: 'wait' | 'busy' | 'done' | 'bad' }> = {
  received: { symbol: '↓', tone: 'wait' },
  queued: { symbol: '…', tone: 'wait' },
  processing: { symbol: '▶', tone: 'busy' },
  retrying: { symbol: '↻', tone: 'busy' },
  created: { symbol: '✔', tone: 'done' },
  noted: { symbol: '✎', tone: 'done' },
  updated: { symbol: '✔', tone: 'done' },
  resolved: { symbol: '■', tone: 'done' },
  error: { symbol: '✖', tone: 'bad' },
};

export function stateMark(state: TicketState | null | undefined): Html {
  if (!state) return html`<span class="state tone-none">–&nbsp;not&nbsp;seen</span>`;
  const { symbol, tone } = MARKS[state];
  return html`<span class="state tone-${tone}"
    ><span aria-hidden="true">${symbol}</span>&nbsp;${state}</span
  >`;
}

const SEVERITY_SYMBOLS: Record<string, string> = { critical: '‼', major: '!', minor: '·' };

export function severityMark(severity: string | null): Html {
  if (!severity) return html``;
  const symbol = SEVERITY_SYMBOLS[severity] ?? '';
  return html`<span class="sev sev-${severity in SEVERITY_SYMBOLS ? severity : 'other'}"
    ><span aria-hidden="true">${symbol}</span>&nbsp;${severity}</span
  >`;
}
