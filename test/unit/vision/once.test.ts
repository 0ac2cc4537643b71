import { once } from '../../../lambdas/vision/once';

describe('once', () => {
  it('loads once and hands every caller the same result', async () => {
    const load = jest.fn(async () => ({ model: 'loaded' }));
    const get = once(load);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failure: the next call tries again', async () => {
    const load = jest.fn().mockRejectedValueOnce(new Error('disk hiccup')).mockResolvedValueOnce('model');
    const get = once(load);
    await expect(get()).rejects.toThrow('disk hiccup');
    await expect(get()).resolves.toBe('model');
    expect(load).toHaveBeenCalledTimes(2);
  });
});
