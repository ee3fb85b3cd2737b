import { describe, expect, it } from 'vitest';
import { pluginOrigins, widenCsp } from '../../../src/lib/core/security/csp';
import { contentSecurityPolicy } from '../../../scripts/serve.js';

describe('CSP for confirmed plugin origins', () => {
  it('collects distinct foreign http(s) origins only', () => {
    expect(pluginOrigins(['https://a.example/x/index.js', 'https://a.example/y.js', 'http://127.0.0.1:9/p.js', 'https://app.example/own.js', 'blob:https://a/1', 'lathe.eq'], 'https://app.example')).toEqual([
      'http://127.0.0.1:9',
      'https://a.example'
    ]);
  });

  it('adds them to script-src and connect-src and nowhere else', () => {
    const base = contentSecurityPolicy();
    const wide = widenCsp(base, ['https://a.example']);
    const directive = (p: string, name: string) => p.split('; ').find((d) => d.startsWith(name + ' '));
    expect(directive(wide, 'script-src')).toBe(`${directive(base, 'script-src')} https://a.example`);
    expect(directive(wide, 'connect-src')).toBe(`${directive(base, 'connect-src')} https://a.example`);
    expect(directive(wide, 'style-src')).toBe(directive(base, 'style-src'));
    expect(widenCsp(base, [])).toBe(base);
    expect(widenCsp("default-src 'self'", ['https://a.example'])).toBe("default-src 'self'; script-src 'self' https://a.example; connect-src 'self' https://a.example");
  });
});
