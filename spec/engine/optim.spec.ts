import type { Tensor } from '../../engine/index.js';
import { optim, tensor } from '../../engine/index.js';
import { expectClose, loadFixture } from '../helpers/index.js';
import { expectErrorStartingWith } from './expect-error.js';

interface Run {
  kind: 'SGD' | 'Adam';
  opts: Record<string, unknown>;
  mode: 'given' | 'quadratic';
  params: number[][];
  grads?: (number[] | null)[][];
  c?: number[][];
  t?: number[][];
  trajectory: number[][][];
}

const fixture = loadFixture<{ shapes: number[][]; runs: Run[] }>('optim.json');
const shapes = fixture.shapes;
const leaf = (data: number[], i: number, requiresGrad = true): Tensor =>
  tensor(Float64Array.from(data), { shape: shapes[i], requiresGrad });

function make(kind: Run['kind'], params: Tensor[], opts: Record<string, unknown>): optim.SGD | optim.Adam {
  return kind === 'SGD' ? new optim.SGD(params, opts as unknown as optim.SGDOptions) : new optim.Adam(params, opts);
}

describe('optimizer trajectories equal torch.optim\'s to 1e-12 (10 steps, fixtures from gen_optim.py)', () => {
  it.each(fixture.runs.map((r): [string, Run] => [`${r.kind} ${JSON.stringify(r.opts)} on ${r.mode} gradients`, r]))('%s', (_name, run) => {
    const params = run.params.map((p, i) => leaf(p, i));
    const opt = make(run.kind, params, run.opts);
    run.trajectory.forEach((expected, step) => {
      if (run.mode === 'given') {
        params.forEach((p, i) => {
          const g = run.grads![step][i];
          p.grad = g === null ? null : leaf(g, i, false);
        });
      } else {
        opt.zeroGrad();
        params
          .map((p, i) => p.sub(leaf(run.t![i], i, false)).pow(2).mul(leaf(run.c![i], i, false)).sum())
          .reduce((a, b) => a.add(b))
          .backward();
      }
      opt.step();
      params.forEach((p, i) => expectClose(p, expected[i], 1e-12, 1e-12));
    });
  });
});

describe('optimizer options', () => {
  const p = (): Tensor => tensor([1, 2], { requiresGrad: true });

  it('zeroGrad sets every gradient to null', () => {
    const a = p();
    const opt = new optim.SGD([a], { lr: 0.1 });
    a.sum().backward();
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it.each([
    ['SGD without options', () => new optim.SGD([p()], undefined as never), 'SGD: '],
    ['SGD missing lr', () => new optim.SGD([p()], {} as never), 'SGD: lr must be a finite number >= 0, got undefined'],
    ['SGD negative lr', () => new optim.SGD([p()], { lr: -1 }), 'SGD: lr must be a finite number >= 0, got -1'],
    ['SGD negative momentum', () => new optim.SGD([p()], { lr: 1, momentum: -0.5 }), 'SGD: momentum must be a finite number >= 0, got -0.5'],
    ['SGD nesterov without momentum', () => new optim.SGD([p()], { lr: 1, nesterov: true }), 'SGD: nesterov needs momentum > 0 and dampening 0'],
    ['SGD nesterov with dampening', () => new optim.SGD([p()], { lr: 1, momentum: 0.9, dampening: 0.1, nesterov: true }), 'SGD: nesterov needs'],
    ['SGD unknown option', () => new optim.SGD([p()], { lr: 1, weight_decay: 0.1 } as never), "SGD: unknown option 'weight_decay'"],
    ['SGD empty params', () => new optim.SGD([], { lr: 1 }), 'SGD: params must be a non-empty array of Tensors'],
    ['SGD non-leaf param', () => new optim.SGD([p().mul(2)], { lr: 1 }), 'SGD: params[0] must be a leaf tensor with requiresGrad: true'],
    ['SGD param without grad', () => new optim.SGD([tensor([1])], { lr: 1 }), 'SGD: params[0] must be a leaf'],
    ['Adam negative lr', () => new optim.Adam([p()], { lr: -0.1 }), 'Adam: lr must be a finite number >= 0, got -0.1'],
    ['Adam beta of 1', () => new optim.Adam([p()], { betas: [0.9, 1] }), 'Adam: betas[1] must be in [0, 1), got 1'],
    ['Adam betas not a pair', () => new optim.Adam([p()], { betas: [0.9] as never }), 'Adam: betas must be a pair of numbers'],
    ['Adam negative eps', () => new optim.Adam([p()], { eps: -1e-8 }), 'Adam: eps must be a finite number >= 0'],
    ['Adam negative weightDecay', () => new optim.Adam([p()], { weightDecay: -1 }), 'Adam: weightDecay must be a finite number >= 0'],
    ['Adam amsgrad not boolean', () => new optim.Adam([p()], { amsgrad: 1 } as never), 'Adam: amsgrad must be a boolean, got 1'],
    ['Adam unknown option', () => new optim.Adam([p()], { beta1: 0.9 } as never), "Adam: unknown option 'beta1'"],
  ])('%s throws', (_name, f, fragment) => expectErrorStartingWith(f as () => unknown, fragment as string));
});
