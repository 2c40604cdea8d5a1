import type { ServerResponse } from 'node:http';
import { isPlatform, type Platform } from '@tbe/shared';
import { sendHtml } from '../http/io.ts';
import { notFound } from '../errors.ts';
import type { Html } from './html.ts';
import { layout, PAGE_CSP } from './layout.ts';

/** A page of the overview, with its own content security policy. */
export function sendPage(
  res: ServerResponse,
  status: number,
  page: { title: string; live: Html; refresh: boolean; readAtMs: number; before?: Html | undefined },
): void {
  sendHtml(res, status, layout(page), { 'content-security-policy': PAGE_CSP });
}

export function platformOf(name: string): Platform {
  if (isPlatform(name)) return name;
  throw notFound(`no platform named ${name}`);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
}

export function asset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
