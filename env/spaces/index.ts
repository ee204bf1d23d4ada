export { type Space, SpaceError, isNumericArray } from './space.ts';
export { Box, type BoxDtype } from './box.ts';
export { Discrete } from './discrete.ts';
export { MultiDiscrete } from './multi-discrete.ts';
export { Dict } from './dict.ts';
export { flatDim, flatten, flattenInto, flattenSpace, explain, spaceFromJSON } from './utils.ts';
