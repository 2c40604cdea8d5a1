import { describe, expect, test } from 'vitest';
import { escapeHtml, href, html } from './html.ts';

describe('html templates', () => {
  test('when values are interpolated, then text is escaped, arrays joined and only Html kept as markup', () => {
    const hostile = `<script>"'&\``;
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;&quot;&#39;&amp;&#96;');
    const inner = html`<b>${hostile}</b>`;
    expect(html`<p title="${hostile}">${inner}${[1, 'a<', null, undefined, false]}</p>`.html).toBe(
      '<p title="&lt;script&gt;&quot;&#39;&amp;&#96;"><b>&lt;script&gt;&quot;&#39;&amp;&#96;</b>1a&lt;</p>',
    );
  });

  test('when a link is built, then parameters are encoded and empty ones left out', () => {
    expect(href('/admin/tickets', { q: 'a&b=c', state: '', platform: undefined })).toBe(
      '/admin/tickets?q=a%26b%3Dc',
    );
    expect(href('/admin/tickets')).toBe('/admin/tickets');
  });
});
