/** Compiles `/a/:name/b` patterns; params come back URL-decoded. */
export interface CompiledPattern {
  match(path: string): Record<string, string> | null;
}

export function compilePattern(pattern: string, caseInsensitive = false): CompiledPattern {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  const regex = new RegExp(`^${source}/?$`, caseInsensitive ? 'i' : '');
  return {
    match(path) {
      const found = regex.exec(path);
      if (!found) return null;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return params;
    },
  };
}
