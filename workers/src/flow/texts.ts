import type { Ticket } from '@tbe/shared';

// The texts written to the platforms (cherwell.md, "Texts written"; SFyC follows Cherwell).

/** `[WM <id> v<version>]`: every note names the WM ticket and version it comes from. */
export function noteTag(ticket: Pick<Ticket, 'id' | 'version'>): string {
  return `[WM ${ticket.id} v${ticket.version}]`;
}

export function noteText(ticket: Ticket): string {
  return `${noteTag(ticket)} ${ticket.summary}\n${ticket.details}`;
}

/** The last note of a noted WM ticket whose alarm cleared. */
export function clearedNoteText(ticket: Ticket): string {
  return `${noteTag(ticket)} cleared at ${ticket.completedAt ?? ticket.updatedAt}: ${ticket.summary}\n${ticket.details}`;
}

export function workOrderTitle(ticket: Ticket): string {
  return `[WM ${ticket.id}] ${ticket.summary}`;
}

/** Cherwell's Priority and SFyC's priority: critical 1, major 2, minor 3. */
export function priorityOf(severity: Ticket['severity']): 1 | 2 | 3 {
  switch (severity) {
    case 'critical':
      return 1;
    case 'major':
      return 2;
    case 'minor':
      return 3;
  }
}
