import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServerResponse } from 'node:http';

/**
 * Bull Board's page loads IBM Plex from fonts.googleapis.com. The board's view
 * (views/index.ejs, Bull Board's own with that one link changed) asks for `fonts/fonts.css`
 * instead, served here with the woff2 files of the @fontsource packages: no request of the
 * page leaves the machine.
 */
export const FONTS_PATH = '/fonts/';

const require = createRequire(import.meta.url);
const FILES: Record<string, string> = Object.fromEntries(
  [
    ['ibm-plex-sans', [400, 500, 600]],
    ['ibm-plex-mono', [400, 500]],
  ].flatMap(([family, weights]) => {
    const dir = join(dirname(require.resolve(`@fontsource/${family as string}/package.json`)), 'files');
    return (weights as number[]).map((weight) => {
      const file = `${family as string}-latin-${weight}-normal.woff2`;
      return [file, join(dir, file)];
    });
  }),
);

const face = (family: string, file: string, weight: string): string =>
  `@font-face{font-family:'${family}';font-style:normal;font-display:swap;font-weight:${weight};src:url(${file}) format('woff2')}`;

const CSS = Object.keys(FILES)
  .map((file) => {
    const [, name = '', weight = ''] =
      /^(ibm-plex-sans|ibm-plex-mono)-latin-(\d+)-normal\.woff2$/.exec(file) ?? [];
    return face(name === 'ibm-plex-sans' ? 'IBM Plex Sans' : 'IBM Plex Mono', file, weight);
  })
  .join('\n');

/** Answers `fonts/<name>` below the board; false for any other name. */
export async function serveFont(name: string, res: ServerResponse): Promise<boolean> {
  if (name === 'fonts.css') {
    res.writeHead(200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    });
    res.end(CSS);
    return true;
  }
  const path = FILES[name];
  if (path === undefined) return false;
  const body = await readFile(path);
  res.writeHead(200, {
    'content-type': 'font/woff2',
    'cache-control': 'public, max-age=31536000, immutable',
  });
  res.end(body);
  return true;
}
