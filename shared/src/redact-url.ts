/** A URL fit for logs and errors: its user name and password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      if (parsed.username) parsed.username = 'redacted';
      if (parsed.password) parsed.password = 'redacted';
      return parsed.toString();
    }
    // What the parser did not see as credentials (`user:pass@host` without a scheme).
    return redactCredentials(parsed.toString());
  } catch {
    return '[unparseable url]';
  }
}

/**
 * Any text with the user-information part of URLs in it replaced: `scheme://user:pass@host`,
 * `user:pass@host` and `:pass@host` alike, parseable or not (a configuration error shows what
 * was given, which may be a URL too broken to parse but with a password in it).
 */
export function redactCredentials(text: string): string {
  return text.replace(/(^|[\s"'(,=]|[a-z][a-z0-9+.-]*:\/\/)[^\s"'/]*@/gi, '$1redacted@');
}
