import { intBetween, pick } from '../common/random.ts';
import { ACTIONS, CAUSES, PLACES } from './places.ts';
import { isoSeconds } from './ticket.ts';
import type { WmTicket } from './ticket.ts';

export interface GeneratorOptions {
  random: () => number;
  now: () => number;
  /** Number of the first ticket id (`WM-YYYYMMDD-000001`). */
  firstTicketNumber?: number;
  /** Share of new tickets that reuse an open ticket's entity and alarm type (default 0.25). */
  entityReuseShare?: number;
}

const SUFFIX = { 'SNR Upstream': 'UP', 'US Service Group': 'US', 'DS Service Group': 'DS' } as const;
const LABEL = {
  'SNR Upstream': 'SNR upstream',
  'US Service Group': 'grupo de servicio US',
  'DS Service Group': 'grupo de servicio DS',
} as const;

/** Realistic tickets: ids like `WM-20261126-000123`, entities like `GDL-NODO-0042/US-3`. */
export class TicketGenerator {
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #reuseShare: number;
  #next: number;

  constructor(options: GeneratorOptions) {
    this.#random = options.random;
    this.#now = options.now;
    this.#next = options.firstTicketNumber ?? 1;
    this.#reuseShare = options.entityReuseShare ?? 0.25;
  }

  nextId(): string {
    const day = isoSeconds(this.#now()).slice(0, 10).replaceAll('-', '');
    return `WM-${day}-${String(this.#next++).padStart(6, '0')}`;
  }

  /** A new open ticket at version 1; may share entity and alarm type with one of `open`. */
  generate(open: readonly WmTicket[] = []): WmTicket {
    const r = this.#random;
    const place = pick(r, PLACES);
    const reused = open.length > 0 && r() < this.#reuseShare ? pick(r, open) : undefined;
    const entityType =
      reused?.entityType ?? pick(r, ['SNR Upstream', 'US Service Group', 'DS Service Group'] as const);
    const node = `${place.code}-NODO-${String(intBetween(r, 1, 9999)).padStart(4, '0')}`;
    const entity = reused?.entity ?? `${node}/${SUFFIX[entityType]}-${intBetween(r, 1, 8)}`;
    const alarmType =
      reused?.alarmType ?? (entityType === 'SNR Upstream' || r() < 0.5 ? 'SNR' : 'Falla de Linea');
    const severity = r() < 0.55 ? 'critical' : r() < 0.75 ? 'major' : 'minor';
    const alarmCount = intBetween(r, 1, 60);
    const now = isoSeconds(this.#now());
    const what = alarmType === 'SNR' ? 'Degradación de SNR' : 'Falla de línea';
    return {
      id: this.nextId(),
      version: 1,
      state: 'open',
      entity,
      entityType,
      alarmType,
      severity,
      alarmCount,
      region: place.region,
      subregion: place.subregion,
      branchId: place.branchId,
      summary: `${what} en ${LABEL[entityType]} ${entity}`.slice(0, 200),
      details: this.details(entity, alarmType, alarmCount, place.subregion, place.region, now),
      receivedAt: now,
      updatedAt: now,
      completedAt: null,
    };
  }

  /** About 600 bytes of operator prose. */
  details(
    entity: string,
    alarmType: string,
    alarmCount: number,
    city: string,
    region: string,
    at: string,
  ): string {
    const r = this.#random;
    const snr = (18 + r() * 10).toFixed(1);
    const parts = [
      `Alarma ${alarmType} generada por agregación de WM sobre ${entity} (${city}, región ${region}).`,
      `${alarmCount} cablemódems afectados; SNR promedio de ${snr} dB, por debajo del umbral de 25 dB.`,
      `Primera detección: ${at}. Causa probable: ${pick(r, CAUSES)}.`,
      `Clientes residenciales y empresariales del sector reportan intermitencia y baja velocidad.`,
      pick(r, ACTIONS),
      `Historial: el nodo registró ${intBetween(r, 0, 4)} eventos similares en los últimos 30 días.`,
      `Este ticket fue generado automáticamente; no responder a este mensaje.`,
    ];
    let text = parts.join(' ');
    while (Buffer.byteLength(text) < 560) text += ` ${pick(r, ACTIONS)}`;
    return text;
  }
}
