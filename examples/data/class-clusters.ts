/**
 * Classes made of several far-apart Gaussian clusters in a higher-dimensional space. A class's
 * clusters sit at unrelated random places, interleaved with other classes' clusters, so a linear
 * map to 2-D cannot gather a class in one place; a nonlinear one can.
 */
import { tensor } from '../../engine/index.js';
import type { Tensor } from '../../engine/index.js';
import { Rng, shuffled } from '../lib/sampling.js';

export interface ClusterTask {
  readonly classes: number;
  readonly dim: number;
  /** `[classes][modes][dim]` cluster centres. */
  readonly centres: number[][][];
  readonly noise: number;
}

export interface LabelledPoints {
  x: Tensor; // [N, dim]
  labels: number[]; // [N]
}

export function clusterTask({ classes, modes, dim, noise, seed }: { classes: number; modes: number; dim: number; noise: number; seed: number }): ClusterTask {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes }, () =>
    Array.from({ length: modes }, () => Array.from({ length: dim }, () => rng.normal())),
  );
  return { classes, dim, centres, noise };
}

/** `perClass` points of every class, each from a uniformly chosen cluster of its class, shuffled. */
export function drawPoints(task: ClusterTask, perClass: number, seed: number): LabelledPoints {
  const rng = new Rng(seed);
  const rows: { v: number[]; label: number }[] = [];
  task.centres.forEach((modes, label) => {
    for (let i = 0; i < perClass; i++) {
      const centre = modes[rng.int(modes.length)];
      rows.push({ v: centre.map((c) => c + task.noise * rng.normal()), label });
    }
  });
  const order = shuffled(rng, rows);
  return { x: tensor(order.map((r) => r.v)), labels: order.map((r) => r.label) };
}
