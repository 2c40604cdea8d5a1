// What one hostile 16 MiB WM page costs the producer: CPU and peak heap of reading it (JSON.parse)
// and validating it (parsePage), for the shapes a broken or hostile feed can send. Run each shape
// in its own process so peaks do not add up:
//   node --max-old-space-size=512 --import tsx bench/src/tools/hostile-page.ts platforms|tiny|deep
import { parsePage } from '@tbe/producers/page';
import { aTicket } from '@tbe/shared/testing';

const SIZE_BYTES = 16 * 1024 * 1024 - 1024;
const ticket = aTicket();

/** A page body of about 16 MiB, built as text (what WM would send). */
function body(shape: string): string {
  const envelope = (changes: string): string => `{"cursor":"1","hasMore":false,"changes":[${changes}]}`;
  switch (shape) {
    case 'platforms': {
      // One change whose `platforms` holds millions of bad names: one issue per element before.
      const head = `{"seq":1,"ticket":${JSON.stringify(ticket)},"platforms":[`;
      const count = Math.floor((SIZE_BYTES - head.length) / 4);
      return envelope(`${head}${Array(count).fill('"x"').join(',')}]}`);
    }
    case 'tiny':
      // Millions of invalid changes: one quarantine entry (reason and raw change) each before.
      return envelope(
        Array(Math.floor(SIZE_BYTES / 3))
          .fill('{}')
          .join(','),
      );
    case 'deep': {
      // One change nested as deep as 16 MiB allows: JSON.stringify overflowed the stack before.
      const depth = Math.floor((SIZE_BYTES - 100) / 6);
      return envelope(
        `{"seq":1,"platforms":["sfyc"],"ticket":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      );
    }
    default:
      throw new Error(`unknown shape ${shape}: platforms, tiny or deep`);
  }
}

const shape = process.argv[2] ?? 'platforms';
const text = body(shape);
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
const cpu = process.cpuUsage();
const started = performance.now();
// Sampled by hand too: the work is synchronous, so the interval alone would never run.
const json = JSON.parse(text) as unknown;
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const page = parsePage(json);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const used = process.cpuUsage(cpu);
clearInterval(sampler);
const kept = page.ok ? page.quarantined : [];
console.log(
  JSON.stringify({
    shape,
    bodyMiB: +(text.length / 2 ** 20).toFixed(1),
    ok: page.ok,
    invalid: page.ok ? page.invalid : null,
    kept: kept.length,
    longestReasonBytes: Math.max(0, ...kept.map((e) => Buffer.byteLength(e.reason))),
    cpuS: +((used.user + used.system) / 1e6).toFixed(2),
    wallS: +((performance.now() - started) / 1000).toFixed(2),
    peakHeapMiB: Math.round(peakHeap / 2 ** 20),
  }),
);
