/**
 * Speech-like utterances: a word from a small lexicon, spoken as a sequence of phonemes. Each
 * phoneme is a noisy feature pattern held for a random number of frames; the speaking speed
 * varies per utterance, the first frame of a phoneme blends into the previous one
 * (coarticulation), and silence pads both ends.
 */
import { Rng, intBetween } from '../lib/sampling.js';

export interface SpeechTask {
  /** Phoneme labels are 1..phonemes; 0 is left for the CTC blank. */
  readonly phonemes: number;
  readonly featureDim: number;
  /** `[phonemes + 1][featureDim]`: row 0 is silence, row p is phoneme p's pattern. */
  readonly patterns: number[][];
  /** Each word is its phoneme labels. */
  readonly lexicon: number[][];
  readonly noise: number;
}

export interface Utterance {
  word: number;
  labels: number[];
  frames: number[][]; // [T, featureDim]
}

export function speechTask({ phonemes, featureDim, words, noise, seed }: { phonemes: number; featureDim: number; words: number; noise: number; seed: number }): SpeechTask {
  const rng = new Rng(seed);
  const patterns = Array.from({ length: phonemes + 1 }, (_, p) =>
    Array.from({ length: featureDim }, () => (p === 0 ? 0 : 1.2 * rng.normal())),
  );
  const lexicon: number[][] = [];
  const seen = new Set<string>();
  while (lexicon.length < words) {
    const length = intBetween(rng, 2, 5);
    const word: number[] = [];
    // No phoneme follows itself: a doubled phoneme would be one long phoneme to the ear too.
    while (word.length < length) {
      const p = intBetween(rng, 1, phonemes);
      if (p !== word.at(-1)) word.push(p);
    }
    if (!seen.has(word.join())) {
      seen.add(word.join());
      lexicon.push(word);
    }
  }
  return { phonemes, featureDim, patterns, lexicon, noise };
}

export function speak(task: SpeechTask, rng: Rng): Utterance {
  const word = rng.int(task.lexicon.length);
  const labels = task.lexicon[word];
  const speed = 0.6 + 0.9 * rng.uniform();
  const segments = [0, ...labels, 0];
  const frames: number[][] = [];
  segments.forEach((p, s) => {
    const isEdge = s === 0 || s === segments.length - 1;
    const hold = isEdge ? intBetween(rng, 1, 3) : Math.max(2, Math.round(speed * intBetween(rng, 2, 5)));
    for (let f = 0; f < hold; f++) {
      const blend = f === 0 && s > 0 ? 0.5 : 1;
      const prev = task.patterns[segments[Math.max(0, s - 1)]];
      frames.push(task.patterns[p].map((v, k) => blend * v + (1 - blend) * prev[k] + task.noise * rng.normal()));
    }
  });
  return { word, labels, frames };
}

export function speakMany(task: SpeechTask, n: number, seed: number): Utterance[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => speak(task, rng));
}

/**
 * Each frame with its `radius` neighbours on either side, concatenated (zeros past the ends):
 * `[T, featureDim]` to `[T, (2 · radius + 1) · featureDim]`.
 */
export function contextWindows(frames: number[][], radius: number): number[][] {
  const dim = frames[0].length;
  const silence = new Array<number>(dim).fill(0);
  return frames.map((_, t) => {
    const row: number[] = [];
    for (let o = -radius; o <= radius; o++) row.push(...(frames[t + o] ?? silence));
    return row;
  });
}
