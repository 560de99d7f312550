import { Tensor, apply, arange, full, gradCheck, ones, primitive, rand, randn, tensor, zeros } from '../../engine/index.js';
import { expectErrorStartingWith } from './expect-error.js';

const x23 = (): Tensor => tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });

describe('shape errors name the function, the shapes and the dim', () => {
  it('broadcast failure', () => {
    expectErrorStartingWith(() => x23().add(tensor([1, 2])), 'add: ', '[2, 3]', '[2]', 'cannot be broadcast');
    expectErrorStartingWith(() => x23().maximum(ones([4, 1])), 'maximum: ', '[2, 3]', '[4, 1]');
  });

  it('matmul inner dims', () => {
    expectErrorStartingWith(() => x23().matmul(ones([2, 2])), 'matmul: ', 'inner dims', '[2, 3]', '[2, 2]', '3 against 2');
    expectErrorStartingWith(() => ones([2, 2, 3]).matmul(ones([3, 3, 1])), 'matmul: ', 'cannot be broadcast');
    expectErrorStartingWith(() => tensor(1).matmul(ones([1])), 'matmul: ', 'at least 1 dim');
  });

  it('reshape to the wrong size, or with two -1', () => {
    expectErrorStartingWith(() => x23().reshape(4, 2), 'reshape: ', '[2, 3]', '6 values', '[4, 2]');
    expectErrorStartingWith(() => x23().reshape(-1, -1), 'reshape: ', 'at most one -1');
    expectErrorStartingWith(() => x23().reshape(4, -1), 'reshape: ', '[4, -1]');
    expectErrorStartingWith(() => zeros([0, 3]).reshape(0, -1), 'reshape: ', '[0, -1]', 'ambiguous');
  });

  it('expand, concat and stack', () => {
    expectErrorStartingWith(() => x23().expand(3, 3), 'expand: ', '[2, 3]', '[3, 3]');
    expectErrorStartingWith(() => x23().concat([ones([3, 2])], 0), 'concat: ', 'tensor 1', '[3, 2]', 'outside dim 0');
    expectErrorStartingWith(() => x23().concat([tensor(1)]), 'concat: ', 'tensor 1 has shape []');
    expectErrorStartingWith(() => tensor(1).concat([tensor(2)]), 'concat: ', 'zero-dimensional');
    expectErrorStartingWith(() => x23().gather(1, [0, 1]), 'gather: ', 'as many dims');
  });
});

describe('bad dims name the function, the dim and the valid range', () => {
  it.each([
    ['sum', () => x23().sum(2), 'sum: dim 2 is out of range', '[-2, 1]'],
    ['mean', () => x23().mean([0, -3]), 'mean: dim -3'],
    ['max', () => x23().max([1, -1]), 'max: dim 1 appears twice'],
    ['logSumExp', () => x23().logSumExp(1.5), 'logSumExp: dim 1.5'],
    ['softmax', () => x23().softmax(2), 'softmax: dim 2'],
    ['transpose', () => x23().transpose(0, 5), 'transpose: dim1 5'],
    ['permute', () => x23().permute(0, 0), 'permute: dims must not repeat'],
    ['permute count', () => x23().permute(0), 'permute: dims must list all 2'],
    ['unsqueeze', () => x23().unsqueeze(3), 'unsqueeze: dim 3', '[-3, 2]'],
    ['squeeze', () => x23().squeeze(-3), 'squeeze: dim -3'],
    ['slice', () => x23().slice(2, 0, 1), 'slice: dim 2'],
    ['slice step', () => x23().slice(1, 0, 3, 0), 'slice: step must be a positive integer, got 0'],
    ['norm', () => x23().norm(2, 4), 'norm: dim 4'],
    ['norm p', () => x23().norm(-1), 'norm: p must be a number >= 0'],
    ['argMax', () => x23().argMax(-3), 'argMax: dim -3'],
  ])('%s', (_name, f, prefix, ...rest) => expectErrorStartingWith(f as () => unknown, prefix as string, ...(rest as string[])));
});

describe('out-of-range and non-integer indices', () => {
  it('gather', () => {
    expectErrorStartingWith(() => x23().gather(1, [[0, 3], [1, 1]]), 'gather: index 3 is out of range for dim 1 of size 3');
    expectErrorStartingWith(() => x23().gather(0, [[0.5, 1, 1]]), 'gather: index must hold integers, got 0.5');
    expectErrorStartingWith(() => x23().gather(1, [[0, -1], [1, 1]]), 'gather: index -1 is out of range for dim 1 of size 3');
  });

  it('indexSelect', () => {
    expectErrorStartingWith(() => x23().indexSelect(0, [0, 2]), 'indexSelect: index 2 is out of range for dim 0 of size 2');
    expectErrorStartingWith(() => x23().indexSelect(1, [-1]), 'indexSelect: index -1 is out of range for dim 1 of size 3');
    expectErrorStartingWith(() => x23().indexSelect(0, [[0]]), 'indexSelect: index must be 1-D, got shape [1, 1]');
  });

  it('a ragged nested array', () => {
    expectErrorStartingWith(() => tensor([[1, 2], [3]]), 'tensor: values is ragged', 'length 2');
  });
});

describe('backward errors', () => {
  it('a non-scalar output needs gradOutput, of its own shape', () => {
    const y = x23().mul(2);
    expectErrorStartingWith(() => y.backward(), 'backward: gradOutput is required for a non-scalar output (shape [2, 3])');
    expectErrorStartingWith(() => y.backward(ones([3, 2])), 'backward: gradOutput shape [3, 2] does not match the output shape [2, 3]');
  });

  it('a tensor outside any graph', () => {
    expectErrorStartingWith(() => ones([1]).backward(), 'backward: the tensor does not require grad');
  });

  it('a second backward through a freed graph is a clear error; retainGraph allows it', () => {
    const x = x23();
    const y = x.exp().sum();
    y.backward();
    expectErrorStartingWith(() => y.backward(), 'backward: ', "'sum' was freed", 'retainGraph');
    const z = x.exp().sum();
    x.zeroGrad();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    const once = x.exp().data;
    Array.from(x.grad!.data).forEach((g, i) => expect(g).toBeCloseTo(2 * once[i], 12));
  });

  it('the engine rejects a gradient of the wrong shape and names the op and the input', () => {
    const BAD = primitive<void, void>({
      name: 'badRule',
      forward([a]) {
        return { data: a.data.slice(), shape: a.shape, saved: undefined };
      },
      backward(g) {
        return [{ shape: [g.length + 1], data: new Float64Array(g.length + 1) }];
      },
    });
    const LYING = primitive<void, void>({
      name: 'lyingRule',
      forward([a]) {
        return { data: a.data.slice(), shape: a.shape, saved: undefined };
      },
      backward(g) {
        return [{ shape: [7], data: g }];
      },
    });
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expectErrorStartingWith(() => apply(BAD, [x], undefined).sum().backward(), 'badRule: ', 'shape [4]', 'input 0 of shape [3]');
    expectErrorStartingWith(() => apply(LYING, [x], undefined).sum().backward(), 'lyingRule: ', '3 values', 'shape [7]');
    expect(x.grad).toBeNull();
  });

  it('the engine rejects a sparse gradient of the wrong shape or with mismatched positions and values', () => {
    const sparse = (name: string, shape: (s: readonly number[]) => number[], positions: number) =>
      primitive<void, void>({
        name,
        forward([a]) {
          return { data: a.data.slice(), shape: a.shape, saved: undefined };
        },
        backward(g, { inputs }) {
          return [{ shape: shape(inputs[0].shape), index: new Int32Array(positions), values: g }];
        },
      });
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expectErrorStartingWith(() => apply(sparse('wideSparse', (s) => [s[0] + 1], 3), [x], undefined).sum().backward(), 'wideSparse: ', 'shape [4]', 'input 0 of shape [3]');
    expectErrorStartingWith(() => apply(sparse('shortSparse', (s) => s.slice(), 2), [x], undefined).sum().backward(), 'shortSparse: ', '2 positions and 3 values');
    expect(x.grad).toBeNull();
  });
});

describe('unknown option names and bad option values', () => {
  it.each([
    ['tensor', () => tensor([1], { requiresgrad: true } as never), "tensor: unknown option 'requiresgrad'"],
    ['tensor shape', () => tensor([1, 2, 3], { shape: [2, 2] }), 'tensor: shape [2, 2] needs 4 values, got 3'],
    ['tensor requiresGrad', () => tensor([1], { requiresGrad: 1 } as never), 'tensor: requiresGrad must be a boolean, got 1'],
    ['zeros', () => zeros([2], { seed: 1 } as never), "zeros: unknown option 'seed'"],
    ['ones', () => ones([2], { dtype: 'f32' } as never), "ones: unknown option 'dtype'"],
    ['full', () => full([2], 1, { grad: true } as never), "full: unknown option 'grad'"],
    ['arange', () => arange(0, 3, 0), 'arange: ', 'step != 0'],
    ['rand', () => rand([2], { sed: 1 } as never), "rand: unknown option 'sed'"],
    ['randn', () => randn([2], { seed: 1.5 }), 'randn: seed must be an integer in [0, 2^32), got 1.5'],
    ['rand shape', () => rand([2, -1]), 'rand: shape must be an array of non-negative integers'],
    ['clamp', () => x23().clamp(), 'clamp: at least one of min and max'],
    ['gradCheck', () => { const r = gradCheck((t) => t, [x23()], { step: 1 } as never); throw new Error(r.error); }, "gradCheck: unknown option 'step'"],
  ])('%s', (_name, f, prefix, ...rest) => expectErrorStartingWith(f as () => unknown, prefix as string, ...(rest as string[])));
});
