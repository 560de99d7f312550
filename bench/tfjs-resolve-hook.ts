/**
 * A module resolution hook for tfjs-core's ES module build. Its gradient registrations ship only
 * there (the CommonJS bundle that `@tensorflow/tfjs-core` resolves to has none; normally the
 * `@tensorflow/tfjs` umbrella package bundles them), and that build imports relative paths
 * without extensions, which Node's ES module resolver rejects. Registries and the engine live on
 * the global object, so gradients registered by this second copy serve the CommonJS one.
 */
interface Context { parentURL?: string }
type Next = (specifier: string, context: Context) => Promise<unknown>;

export async function resolve(specifier: string, context: Context, next: Next): Promise<unknown> {
  const fromTfjs = context.parentURL?.includes('/@tensorflow/tfjs-core/dist/') ?? false;
  if (fromTfjs && specifier.startsWith('.') && !specifier.endsWith('.js')) return next(`${specifier}.js`, context);
  return next(specifier, context);
}
