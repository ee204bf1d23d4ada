export {
  BUY,
  SELL,
  BOTH,
  POST_ONLY,
  IOC,
  REJECTED,
  MAX_PRICE,
  MAX_QTY,
  MAX_OWNER,
  BookError,
  FillBuffer,
  StateHasher,
  grownColumn,
} from './types.ts';
export type { Book, Column } from './types.ts';
export { OrderBook } from './order-book.ts';
export type { OrderBookOptions } from './order-book.ts';
export { ReferenceBook } from './reference-book.ts';
export { runBookWorkload } from './workload.ts';
export type { BookWorkloadOptions, BookWorkloadResult } from './workload.ts';
