/**
 * Orders on their way to the book: a trader's order-entry latency (`TraderHost.sendDelayed`).
 *
 * Layout: slots in typed-array columns (owner, kind, side, price, qty, flags, notify) with a free
 * list through `next`; the market schedules each slot's arrival in its event queue
 * (key EV_DELAYED_BASE | slot) and frees the slot when it fires. Grows by doubling; nothing is
 * allocated per order once grown.
 */
import { grownColumn } from '../book/index.ts';

export class DelayedOrders {
  owner: Int32Array;
  kind: Int8Array;
  side: Int8Array;
  price: Int32Array;
  qty: Float64Array;
  flags: Int8Array;
  notify: Int8Array;
  private next: Int32Array;
  private free = -1;
  private used = 0;

  constructor(capacity = 16) {
    this.owner = new Int32Array(capacity);
    this.kind = new Int8Array(capacity);
    this.side = new Int8Array(capacity);
    this.price = new Int32Array(capacity);
    this.qty = new Float64Array(capacity);
    this.flags = new Int8Array(capacity);
    this.notify = new Int8Array(capacity);
    this.next = new Int32Array(capacity);
  }

  /** Forgets every pending order (a market reset). */
  clear(): void {
    this.free = -1;
    this.used = 0;
  }

  /** Stores an order; returns its slot. */
  add(owner: number, kind: number, side: number, price: number, qty: number, flags: number, notify: number): number {
    let s: number;
    if (this.free >= 0) {
      s = this.free;
      this.free = this.next[s];
    } else {
      s = this.used++;
      if (s === this.qty.length) {
        const c = 2 * s;
        this.owner = grownColumn(this.owner, c);
        this.kind = grownColumn(this.kind, c);
        this.side = grownColumn(this.side, c);
        this.price = grownColumn(this.price, c);
        this.qty = grownColumn(this.qty, c);
        this.flags = grownColumn(this.flags, c);
        this.notify = grownColumn(this.notify, c);
        this.next = grownColumn(this.next, c);
      }
    }
    this.owner[s] = owner;
    this.kind[s] = kind;
    this.side[s] = side;
    this.price[s] = price;
    this.qty[s] = qty;
    this.flags[s] = flags;
    this.notify[s] = notify;
    return s;
  }

  /** Frees a slot after its order reached the book. */
  release(s: number): void {
    this.next[s] = this.free;
    this.free = s;
  }
}
