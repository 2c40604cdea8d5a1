// The image's HEALTHCHECK: the role's /healthz on HTTP_PORT (default 3000), or the URL given
// as the first argument (the simulators have no /healthz). Exit 0 healthy, 1 not.
const url = process.argv[2] ?? `http://127.0.0.1:${process.env.HTTP_PORT || 3000}/healthz`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
