import { SETTING_NAMES } from '@tbe/shared/settings';
import { expectPositionals } from '../args.ts';
import { table } from '../output/table.ts';
import { errorText, record, text } from '../output/values.ts';
import { adminCommand } from './admin.ts';

const COUNTS = ['waiting', 'active', 'delayed', 'failed', 'dead'] as const;

export const statusCommand = adminCommand({
  name: 'status',
  synopsis: '',
  summary: 'per platform: processing, auth, rate limit, counts, settings; the producer',
  parse: (args) => expectPositionals('status', args, []),
  call: (api) => api.request('GET', '/api/status'),
  print(answer, _input, io) {
    const platforms = Object.entries(record(record(answer).platforms)).map(
      ([name, value]) => [name, record(value)] as const,
    );
    const rateLimit = (until: unknown): string => (until ? `until ${text(until)}` : 'no');
    // Requests in flight allowed over all workers, e.g. `8 adaptive`; `-` while no worker sends.
    const inFlight = (value: unknown): string =>
      value ? `${text(record(value).limit)} ${text(record(value).mode)}` : '-';
    table(
      ['PLATFORM', 'PROCESSING', 'AUTH', 'RATE LIMITED', 'IN FLIGHT', ...COUNTS.map((c) => c.toUpperCase())],
      platforms.map(([name, p]) => [
        name,
        text(p.processing),
        text(p.auth),
        rateLimit(p.rateLimitedUntil),
        inFlight(p.concurrency),
        ...COUNTS.map((count) => text(record(p.counts)[count])),
      ]),
    ).forEach((line) => io.out(line));
    io.out('');
    // A value's source is shown when it is not the default: that is what an operator set.
    const setting = (value: unknown): string => {
      const { value: v, source } = record(value);
      return source === 'default' || source === undefined ? text(v) : `${text(v)} (${text(source)})`;
    };
    table(
      ['SETTINGS', ...SETTING_NAMES],
      platforms.map(([name, p]) => [name, ...SETTING_NAMES.map((s) => setting(record(p.settings)[s]))]),
    ).forEach((line) => io.out(line));
    const producer = record(record(answer).producer);
    io.out('');
    io.out(
      `producer: cursor ${text(producer.cursor)}, last poll ${text(producer.lastPollAt, 'never')}, ` +
        `last error ${errorText(producer.lastError) === '-' ? 'none' : errorText(producer.lastError)}`,
    );
  },
});
