import { describe, expect, test } from 'vitest';
import { neutralise, oneLine } from './terminal.ts';

describe('terminal output', () => {
  test('when text holds control characters, then they are written out and inert; tab and newline stay', () => {
    expect(neutralise('a\u001b[2Jb\u0007c\u009bd\u202ee\tf\ng')).toBe('a\\x1b[2Jb\\x07c\\x9bd\\u202ee\tf\ng');
    expect(oneLine('a\tb\r\n  c\rd')).toBe('a b c d');
    expect(neutralise('ñandú 漢字 ✓')).toBe('ñandú 漢字 ✓');
  });
});
