import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ours = readFileSync(fileURLToPath(new URL('./views/index.ejs', import.meta.url)), 'utf8');
// @bull-board/ui is a dependency of @bull-board/api (whose exports hide package.json), found
// from the api's own entry, as createBullBoard finds it.
const apiRequire = createRequire(createRequire(import.meta.url).resolve('@bull-board/api'));
const ui = dirname(apiRequire.resolve('@bull-board/ui/package.json'));
const theirs = readFileSync(join(ui, 'dist', 'index.ejs'), 'utf8');

describe('the board page', () => {
  test('when Bull Board is upgraded, then our page is still its page with only the font link made local', () => {
    const googleFonts = /<link href="https:\/\/fonts\.googleapis\.com\/[^"]*" rel="stylesheet">/;
    expect(theirs).toMatch(googleFonts);
    expect(ours).toBe(theirs.replace(googleFonts, '<link href="fonts/fonts.css" rel="stylesheet">'));
    expect(ours).not.toMatch(/https?:\/\//);
  });
});
