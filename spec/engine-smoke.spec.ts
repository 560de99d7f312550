import { tensor } from '../engine/index.js';
import { expectClose, expectGradOk } from './helpers/index.js';

describe('engine smoke', () => {
  it('backpropagates through a broadcast product', () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b = tensor([0.5, -1], { requiresGrad: true });
    a.mul(b).sum().backward();
    expectClose(a.grad!, [[0.5, -1], [0.5, -1]]);
    expectClose(b.grad!, [4, 6]);
    expectGradOk((x, y) => x.mul(y).tanh(), [a, b]);
  });
});
