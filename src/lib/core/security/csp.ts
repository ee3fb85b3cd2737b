/** Widening a Content-Security-Policy for the plugin origins a person confirmed. */

/** The distinct http(s) origins of plugin URLs, leaving out the app's own. */
export function pluginOrigins(urls: string[], selfOrigin: string): string[] {
  const out = new Set<string>();
  for (const u of urls) {
    try {
      const { origin, protocol } = new URL(u);
      if ((protocol === 'http:' || protocol === 'https:') && origin !== selfOrigin) out.add(origin);
    } catch {
      // Not a URL: nothing to allow.
    }
  }
  return [...out].sort();
}

/** Adds origins to script-src (to import the modules) and connect-src (to hash and fetch their files). */
export function widenCsp(policy: string, origins: string[]): string {
  if (!origins.length) return policy;
  const directives = policy.split(';').map((d) => d.trim()).filter(Boolean);
  const seen = new Set<string>();
  const widened = directives.map((d) => {
    const name = d.split(/\s+/)[0].toLowerCase();
    seen.add(name);
    return name === 'script-src' || name === 'connect-src' ? `${d} ${origins.join(' ')}` : d;
  });
  for (const name of ['script-src', 'connect-src']) {
    if (!seen.has(name)) widened.push(`${name} 'self' ${origins.join(' ')}`);
  }
  return widened.join('; ');
}
