/** The ticketing platforms Ticketing BE delivers to. Adding one starts here. */
export const PLATFORMS = ['cherwell', 'sfyc'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

/** The environment prefix of a platform's variables: `CHERWELL_`, `SFYC_`. */
export function envPrefix(platform: Platform): string {
  return `${platform.toUpperCase()}_`;
}
