import { tensor } from '../../engine/index.js';
import { expectClose } from '../helpers/index.js';
import { fixtureCases, replay } from './fixture-cases.js';

describe('gradients at kinks equal PyTorch float64 values', () => {
  it.each(fixtureCases('kinks'))('%s', (_name, c) => replay(c));
});

describe('the kink conventions of API.md, stated directly', () => {
  it("relu'(0) = 0 and abs'(0) = 0", () => {
    const x = tensor([0, 0], { requiresGrad: true });
    x.relu().add(x.abs()).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0]);
  });

  it('clamp passes the whole gradient at both bounds', () => {
    const x = tensor([-1, 2], { requiresGrad: true });
    x.clamp(-1, 2).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1]);
  });

  it('max over a dim sends the gradient to the lowest tied index; max over all dims splits it', () => {
    const x = tensor([[5, 5, 1]], { requiresGrad: true });
    x.max(1).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 0]]);
    x.zeroGrad();
    x.max().backward();
    expectClose(x.grad!, [[0.5, 0.5, 0]]);
  });

  it('maximum and minimum split a tie 0.5 / 0.5', () => {
    for (const op of ['maximum', 'minimum'] as const) {
      const a = tensor([3], { requiresGrad: true });
      const b = tensor([3], { requiresGrad: true });
      a[op](b).backward();
      expect([a.grad!.item(), b.grad!.item()]).toEqual([0.5, 0.5]);
    }
  });
});
