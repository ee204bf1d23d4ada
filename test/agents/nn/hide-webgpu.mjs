// Test helper (node --import): makes the optional WebGPU packages unresolvable, as after
// `npm install --omit=optional`, to check what `--backend webgpu` and `auto` say then.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'webgpu' || specifier.startsWith('@tensorflow/tfjs-backend-webgpu')) {
    const err = new Error("Cannot find package '" + specifier + "' (hidden by hide-webgpu.mjs)");
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
