/**
 * Just enough of a WebAssembly binary writer for the DSP kernels: i32 and f64 parameters, v128
 * locals, counted loops, SIMD f64x2 arithmetic, and one imported memory. Kernels are written as
 * TypeScript that emits their code, so no toolchain is needed to build or change them.
 */

export type ValueType = 'i32' | 'f64' | 'v128';
const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

function uleb(value: number, out: number[]): void {
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

function sleb(value: number, out: number[]): void {
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function name(text: string, out: number[]): void {
  uleb(text.length, out);
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
}

function section(id: number, body: number[], out: number[]): void {
  out.push(id);
  uleb(body.length, out);
  out.push(...body);
}

/** A value on the stack: code that pushes it. */
export type Expr = (code: number[]) => void;
/** A local variable: its index. */
export type Local = number;

/** Byte patterns for i8x16.shuffle of two f64x2 values. */
const LANE0 = [0, 1, 2, 3, 4, 5, 6, 7];
const LANE1 = [8, 9, 10, 11, 12, 13, 14, 15];
const shift = (lanes: number[]) => lanes.map((b) => b + 16);

const simd = (op: number, code: number[]) => {
  code.push(0xfd);
  uleb(op, code);
};

/** Builds one function body; expressions and statements append to `code`. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly locals: ValueType[] = [];

  constructor(readonly params: ValueType[]) {}

  param(i: number): Local {
    return i;
  }

  local(type: ValueType): Local {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  // Expressions.
  get = (l: Local): Expr => (c) => {
    c.push(0x20);
    uleb(l, c);
  };
  i32 = (v: number): Expr => (c) => {
    c.push(0x41);
    sleb(v | 0, c);
  };
  add = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x6a));
  and = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x71));
  or = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x72));
  xor = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x73));
  shrU = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x76));
  loadI32 = (address: Expr, offset = 0): Expr => (c) => (address(c), c.push(0x28, 2), uleb(offset, c));
  /** An i32 as an f64, times the constant `k`. */
  i32ToF64Times = (a: Expr, k: number): Expr => (c) => {
    a(c);
    c.push(0xb7, 0x44, ...new Uint8Array(new Float64Array([k]).buffer), 0xa2);
  };
  sub = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x6b));
  mul = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x6c));
  /** v128 from memory at `address` + `offset` bytes. */
  load = (address: Expr, offset = 0): Expr => (c) => {
    address(c);
    simd(0x00, c);
    c.push(4);
    uleb(offset, c);
  };
  splat = (x: Expr): Expr => (c) => (x(c), simd(0x14, c));
  /** A constant f64x2 (lo, hi). */
  f64x2 = (lo: number, hi: number): Expr => (c) => {
    simd(0x0c, c);
    const bytes = new Uint8Array(new Float64Array([lo, hi]).buffer);
    c.push(...bytes);
  };
  /** A scalar f64, or an f32 widened to f64, from memory; a byte as an i32. */
  loadF64 = (address: Expr, offset = 0): Expr => (c) => (address(c), c.push(0x2b, 3), uleb(offset, c));
  loadF32AsF64 = (address: Expr, offset = 0): Expr => (c) => (address(c), c.push(0x2a, 2), uleb(offset, c), c.push(0xbb));
  loadU8 = (address: Expr, offset = 0): Expr => (c) => (address(c), c.push(0x2d, 0), uleb(offset, c));
  eq = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.push(0x46));
  /** `v` with lane 1 replaced by the f64 `x`. */
  withLane1 = (v: Expr, x: Expr): Expr => (c) => (v(c), x(c), simd(0x22, c), c.push(1));
  floor = (a: Expr): Expr => (c) => (a(c), simd(0x75, c));
  /** b < a ? b : a and a < b ? b : a (pmin, pmax: one instruction each, unlike min and max). */
  fmin = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), simd(0xf6, c));
  fmax = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), simd(0xf7, c));
  /** Both lanes to int32 (saturating) in lanes 0 and 1 of an i32x4. */
  toInt32 = (a: Expr): Expr => (c) => (a(c), simd(0xfc, c));
  fadd = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), simd(0xf0, c));
  fsub = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), simd(0xf1, c));
  fmul = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), simd(0xf2, c));
  private shuffle = (a: Expr, b: Expr, lanes: number[]): Expr => (c) => (a(c), b(c), simd(0x0d, c), c.push(...lanes));
  /** (a.lo, b.lo) and (a.hi, b.hi). */
  lows = (a: Expr, b: Expr): Expr => this.shuffle(a, b, [...LANE0, ...shift(LANE0)]);
  highs = (a: Expr, b: Expr): Expr => this.shuffle(a, b, [...LANE1, ...shift(LANE1)]);
  /** (a.hi, a.lo). */
  swap = (a: Expr): Expr => this.shuffle(a, a, [...LANE1, ...LANE0]);

  // Statements.
  set(l: Local, e: Expr): void {
    e(this.code);
    this.code.push(0x21);
    uleb(l, this.code);
  }
  store(address: Expr, value: Expr, offset = 0): void {
    address(this.code);
    value(this.code);
    simd(0x0b, this.code);
    this.code.push(4);
    uleb(offset, this.code);
  }
  storeI32(address: Expr, value: Expr, offset = 0): void {
    address(this.code);
    value(this.code);
    this.code.push(0x36, 2);
    uleb(offset, this.code);
  }
  storeF64(address: Expr, value: Expr, offset = 0): void {
    address(this.code);
    value(this.code);
    this.code.push(0x39, 3);
    uleb(offset, this.code);
  }
  /** Stores the low `lanes` int32 lanes of `value` (1 or 2). */
  storeInt32Lanes(address: Expr, value: Expr, lanes: 1 | 2, offset = 0): void {
    address(this.code);
    value(this.code);
    simd(lanes === 2 ? 0x5b : 0x5a, this.code);
    this.code.push(lanes === 2 ? 3 : 2);
    uleb(offset, this.code);
    this.code.push(0);
  }
  /** `then()` when `condition` is nonzero, else `otherwise()`. */
  ifElse(condition: Expr, then: () => void, otherwise: () => void): void {
    condition(this.code);
    this.code.push(0x04, 0x40);
    then();
    this.code.push(0x05);
    otherwise();
    this.code.push(0x0b);
  }
  /** Runs `body` `count` times (none when count is 0), counting `counter` down to zero. */
  repeat(counter: Local, count: Expr, body: () => void): void {
    this.set(counter, count);
    this.code.push(0x02, 0x40); // block
    this.get(counter)(this.code);
    this.code.push(0x45, 0x0d, 0); // i32.eqz, br_if out of the block
    this.code.push(0x03, 0x40); // loop
    body();
    this.set(counter, this.sub(this.get(counter), this.i32(1)));
    this.get(counter)(this.code);
    this.code.push(0x0d, 0, 0x0b, 0x0b); // br_if to the loop while nonzero; end loop; end block
  }

  encode(): number[] {
    const out: number[] = [];
    // Locals run-length encoded by type, in declaration order.
    const runs: [number, ValueType][] = [];
    for (const t of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(runs.length, out);
    for (const [n, t] of runs) {
      uleb(n, out);
      out.push(TYPE_CODE[t]);
    }
    out.push(...this.code, 0x0b);
    return out;
  }
}

/** A module of functions over one imported memory ("env", "memory"), all exported by name. */
export function buildModule(functions: { name: string; fn: FunctionBuilder }[]): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(functions.length, types);
  for (const { fn } of functions) {
    types.push(0x60);
    uleb(fn.params.length, types);
    for (const p of fn.params) types.push(TYPE_CODE[p]);
    types.push(0);
  }
  section(1, types, out);
  const imports: number[] = [1];
  name('env', imports);
  name('memory', imports);
  imports.push(0x02, 0x00, 0x01); // memory, limits: min 1 page, no max
  section(2, imports, out);
  const funcs: number[] = [];
  uleb(functions.length, funcs);
  functions.forEach((_, i) => uleb(i, funcs));
  section(3, funcs, out);
  const exports: number[] = [];
  uleb(functions.length, exports);
  functions.forEach(({ name: n }, i) => {
    name(n, exports);
    exports.push(0x00);
    uleb(i, exports);
  });
  section(7, exports, out);
  const bodies: number[] = [];
  uleb(functions.length, bodies);
  for (const { fn } of functions) {
    const body = fn.encode();
    uleb(body.length, bodies);
    bodies.push(...body);
  }
  section(10, bodies, out);
  return new Uint8Array(out);
}
