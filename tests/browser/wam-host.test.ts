import { describe, expect, inject, it } from 'vitest';
import { wamGroup, pluginModuleUrl } from '$lib/web/wam/host';
import { createWam } from '$lib/web/wam/load';
import { renderOffline, stateFromParams } from '$lib/web/wam/offline';
import { confirmPlugin, listPlugins, removePlugin, verifyPlugin } from '$lib/web/wam/library';
import { getDb } from '$lib/web/store/db';
import { testWamSource } from '../helpers/test-wams';

describe('the WAM host', () => {
  it('forgets a failed set-up, so the next call tries again', async () => {
    const ctx = new OfflineAudioContext(2, 128, 48_000);
    const real = ctx.audioWorklet.addModule.bind(ctx.audioWorklet);
    ctx.audioWorklet.addModule = () => Promise.reject(new Error('worklet unavailable for a moment'));
    await expect(wamGroup(ctx)).rejects.toThrow('worklet unavailable for a moment');
    ctx.audioWorklet.addModule = real;
    expect(await wamGroup(ctx)).toMatch(/^lathe-[0-9a-f]{32}$/);
    const { node } = await createWam(pluginModuleUrl('lathe.eq'), ctx);
    expect(node).toBeTruthy();
  });

  it('applies parameters a plugin sends from a main-thread timer, offline as live', async () => {
    const url = URL.createObjectURL(new Blob([testWamSource('timer')], { type: 'text/javascript' }));
    const rateHz = 48_000;
    const x = new Float32Array(rateHz).fill(0.5);
    const { output } = await renderOffline([x, x], rateHz, [{ url, name: 'timer plugin', state: stateFromParams({ gain: 0.25 }) }], 'the test chain');
    // Live, the timer (every 40 ms) applies the gain within its first period; so does the render.
    const late = output[0].subarray(Math.round(0.25 * rateHz));
    expect(Math.min(...late)).toBeCloseTo(0.125, 6);
    expect(Math.max(...late)).toBeCloseTo(0.125, 6);
  });
});

describe('pinned third-party modules', () => {
  const third = inject('thirdPartyWam');
  const skip = 'reason' in third;
  if (skip) console.log(`wam-host.test: ${third.reason}; pinning checks skipped`);

  it.skipIf(skip)('a module runs only when it is in the library and its bytes still have the pinned SHA-256', async () => {
    const url = new URL((third as { url: string }).url.replace('StereoEnhancer', 'OverdriveRix'), location.href).href;
    await removePlugin(url);
    const ctx = new OfflineAudioContext(2, 128, 44_100);
    await expect(createWam(url, ctx)).rejects.toThrow(/is not in your plugin library/);

    await confirmPlugin(url);
    await expect(createWam(url, ctx)).rejects.toThrow(/has not been loaded and pinned yet/);
    const row = await verifyPlugin(url);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The latency Lathe measured when it pinned the plugin, beside what the plugin reports.
    expect(row.latency).toMatchObject({ rateHz: 48_000, reportedSamples: 128 });
    // OverdriveRix (ParamMgr) reports 128 samples but does not delay its audio.
    expect(row.latency?.measuredSamples).toBe(0);
    expect((await createWam(url, ctx)).node).toBeTruthy();

    // The pin no longer matches (as when the vendor ships new bytes): nothing runs, in a render either.
    await getDb().plugins.update(url, { sha256: '0'.repeat(64) });
    await expect(createWam(url, ctx)).rejects.toThrow(/module changed since you confirmed it .* it will not run until you accept the change/);
    const x = new Float32Array(4800);
    await expect(renderOffline([x, x], 48_000, [{ url, name: 'OverdriveRix' }], 'the master chain')).rejects.toThrow(/Slot 1 of the master chain \(OverdriveRix\): .*changed since you confirmed it/);

    // Accepting the change pins the bytes as they are now.
    await verifyPlugin(url);
    expect((await listPlugins()).find((p) => p.url === url)?.sha256).toBe(row.sha256);
    expect((await createWam(url, ctx)).node).toBeTruthy();
  });
});
