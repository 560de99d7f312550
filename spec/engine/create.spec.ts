import { arange, full, ones, tensor, zeros } from '../../engine/index.js';

describe('constructors', () => {
  it('zeros, ones and full take a number or a shape', () => {
    expect(zeros([2, 1]).toArray()).toEqual([[0], [0]]);
    expect(ones(3).toArray()).toEqual([1, 1, 1]);
    expect(full([1, 2], -2.5, { requiresGrad: true }).toArray()).toEqual([[-2.5, -2.5]]);
    expect(full([1, 2], -2.5, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });

  it('arange(end) and arange(start, end, step) hold start + i·step for i < ceil((end - start) / step)', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(1, 2, 0.3).toArray()).toEqual([1, 1 + 0.3, 1 + 2 * 0.3, 1 + 3 * 0.3]);
    expect(arange(3, 0, -1).toArray()).toEqual([3, 2, 1]);
    expect(arange(2, 2).shape).toEqual([0]);
  });

  it('tensor() reads numbers, nested arrays and flat data with a shape', () => {
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([[1, 2, 3]]).shape).toEqual([1, 3]);
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[NaN]]).item()).toBeNaN();
  });
});
