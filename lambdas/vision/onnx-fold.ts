import { onnx } from 'onnx-proto';

/**
 * Folds the element-wise chains of paddle2onnx exports (PP-OCRv4's PPLCNetV3 backbones) into the convolutions
 * around them. Same weights, same arithmetic up to float rounding (outputs agree to about 1e-6). ONNX Runtime
 * 1.30 does not fold these chains itself (nor with the Mul's operands swapped), and the element-wise passes over
 * full-size activations, with the layout conversions around them, took about half the detector's time on this
 * CPU.
 *
 * 1. Conv -> Mul(s) -> Add(b), the "learnable affine block" after a convolution: into its weights and bias.
 * 2. x * Clip(x + 3, 0, 6) / 6 (hard-swish written out in four passes): x * HardSigmoid(x), which ONNX Runtime
 *    recognises as hard-swish and runs inside the convolution before it.
 * 3. Mul(s) -> Add(b) -> a 1x1 convolution without padding: into that convolution's weights and bias.
 * 4. Mul(s) -> Add(b) -> any other convolution (its zero padding would see b, so no fold): one depthwise 1x1
 *    convolution with weight s and bias b. The same arithmetic, but a convolution keeps ONNX Runtime in its
 *    blocked NCHWc layout, where a scalar Mul and Add cost two passes plus two layout conversions.
 *
 * Build-time only (fold-models.ts): onnx-proto is a devDependency, so nothing the functions load may import this.
 * Deterministic: the same model in gives the same bytes out. Returns the model's bytes as they are when nothing
 * matches.
 */
export function foldAffineChains(model: Uint8Array): Uint8Array {
  const proto = onnx.ModelProto.decode(model);
  if (!proto.graph) return model;
  const graph = new Graph(proto.graph);
  const folded = graph.foldConvAffine() + graph.foldHardSwish() + graph.foldAffineConv() + graph.affineAsConv();
  if (folded === 0) return model;
  graph.commit();
  return onnx.ModelProto.encode(proto).finish();
}

type Node = onnx.INodeProto & { input: string[]; output: string[]; opType: string; attribute: onnx.IAttributeProto[] };
type Int64 = number | { toNumber(): number };

/** protobufjs reads int64 fields (dims, ints, i) as Long objects; ONNX's are far below 2^53. */
const int = (value: Int64): number => (typeof value === 'number' ? value : value.toNumber());
const { FLOAT, INT, INTS } = onnx.AttributeProto.AttributeType;

class Graph {
  private nodes: Node[];
  private readonly outputs: Set<string>;
  private readonly producers = new Map<string, Node>();
  private readonly readers = new Map<string, Node[]>();

  constructor(private readonly graph: onnx.IGraphProto) {
    this.nodes = (graph.node ?? []).map((node) =>
      Object.assign(node, {
        input: node.input ?? [],
        output: node.output ?? [],
        opType: node.opType ?? '',
        attribute: node.attribute ?? [],
      }),
    );
    this.index(this.nodes);
    this.outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  }

  /** Writes the surviving nodes back into the graph. */
  commit(): void {
    this.graph.node = this.nodes;
  }

  foldConvAffine(): number {
    return this.fold((conv) => {
      if (conv.opType !== 'Conv') return false;
      const mul = this.soleConsumer(conv, 'Mul');
      const s = mul && this.scaleOf(mul, conv.output[0] as string);
      const add = mul && this.soleConsumer(mul, 'Add');
      const b = add && this.scaleOf(add, mul.output[0] as string);
      const weights = this.ownConstant(conv, 1);
      const bias = this.ownConstant(conv, 2);
      if (s === undefined || b === undefined || !weights || !bias || !add) return false;
      weights.set(weights.values.map((w) => w * s));
      bias.set(bias.values.map((v) => v * s + b));
      conv.output = add.output;
      return [mul, add];
    });
  }

  foldHardSwish(): number {
    return this.fold((div) => {
      if (div.opType !== 'Div' || this.scalar(div.input[1]) !== 6) return false;
      const mul = this.producer(div.input[0], 'Mul');
      const clip = mul && this.producer(mul.input[1], 'Clip');
      const add = clip && this.producer(clip.input[0], 'Add');
      const x = mul?.input[0];
      if (!mul || !clip || !add || add.input[0] !== x || this.scalar(add.input[1]) !== 3) return false;
      const low = clip.input[1] ? this.scalar(clip.input[1]) : attribute(clip, 'min')?.f;
      const high = clip.input[2] ? this.scalar(clip.input[2]) : attribute(clip, 'max')?.f;
      if (low !== 0 || high !== 6 || this.consumers(add.output[0]).length !== 1) return false;
      if (this.consumers(clip.output[0]).length !== 1 || this.consumers(mul.output[0]).length !== 1) return false;
      // clip(x + 3, 0, 6) / 6 = clip(x / 6 + 0.5, 0, 1): HardSigmoid with alpha 1/6, beta 0.5.
      clip.opType = 'HardSigmoid';
      clip.input = [x as string];
      clip.attribute = [
        { name: 'alpha', f: 1 / 6, type: FLOAT },
        { name: 'beta', f: 0.5, type: FLOAT },
      ];
      mul.output = div.output;
      return [add, div];
    });
  }

  foldAffineConv(): number {
    return this.fold((mul) => {
      if (mul.opType !== 'Mul') return false;
      const x = mul.input.find((name) => this.scalar(name) === undefined);
      const s = x === undefined ? undefined : this.scaleOf(mul, x);
      const add = this.soleConsumer(mul, 'Add');
      const b = add && this.scaleOf(add, mul.output[0] as string);
      const conv = add && this.soleConsumer(add, 'Conv');
      if (s === undefined || b === undefined || !conv || conv.input[0] !== add?.output[0]) return false;
      const weights = this.ownConstant(conv, 1);
      const bias = this.ownConstant(conv, 2);
      const [out, inputs, kh, kw] = weights?.dims ?? [];
      const pads = attribute(conv, 'pads')?.ints?.map(int) ?? [];
      const group = attribute(conv, 'group')?.i;
      if (!weights || !bias || kh !== 1 || kw !== 1 || (group === undefined ? 1 : int(group)) !== 1) return false;
      if (pads.some((p) => p !== 0) || out === undefined || inputs === undefined) return false;
      // W (s x + b) + B = (s W) x + (B + b * sum of W's row).
      bias.set(
        bias.values.map(
          (v, o) => v + b * weights.values.subarray(o * inputs, (o + 1) * inputs).reduce((a, w) => a + w, 0),
        ),
      );
      weights.set(weights.values.map((w) => w * s));
      conv.input = [x as string, ...conv.input.slice(1)];
      return [mul, add];
    });
  }

  affineAsConv(): number {
    return this.fold((mul) => {
      if (mul.opType !== 'Mul') return false;
      const y = mul.input.find((name) => this.scalar(name) === undefined);
      const s = y === undefined ? undefined : this.scaleOf(mul, y);
      const add = this.soleConsumer(mul, 'Add');
      const b = add && this.scaleOf(add, mul.output[0] as string);
      const conv = add && this.soleConsumer(add, 'Conv');
      const perGroup = conv && this.constant(conv.input[1])?.dims[1];
      if (s === undefined || b === undefined || !conv || !add || perGroup === undefined) return false;
      const group = attribute(conv, 'group')?.i;
      const channels = perGroup * (group === undefined ? 1 : int(group));
      const name = `${add.output[0]}_affine`;
      this.graph.initializer = [
        ...(this.graph.initializer ?? []),
        floatTensor(`${name}_w`, [channels, 1, 1, 1], new Float32Array(channels).fill(s)),
        floatTensor(`${name}_b`, [channels], new Float32Array(channels).fill(b)),
      ];
      mul.opType = 'Conv';
      mul.input = [y as string, `${name}_w`, `${name}_b`];
      mul.output = add.output;
      mul.attribute = [
        { name: 'group', i: channels, type: INT },
        { name: 'kernel_shape', ints: [1, 1], type: INTS },
      ];
      return [add];
    });
  }

  /** Applies `rule` to every node; it returns the nodes it made redundant (dropped at once), or false. */
  private fold(rule: (node: Node) => Node[] | false): number {
    let count = 0;
    const dropped = new Set<Node>();
    for (const node of this.nodes) {
      if (dropped.has(node)) continue;
      const gone = rule(node);
      if (!gone) continue;
      for (const n of gone) dropped.add(n);
      this.index(this.nodes.filter((n) => !dropped.has(n)));
      count++;
    }
    this.nodes = this.nodes.filter((n) => !dropped.has(n));
    return count;
  }

  /** Who makes and who reads each value, rebuilt after every fold. */
  private index(nodes: Node[]): void {
    this.producers.clear();
    this.readers.clear();
    for (const node of nodes) {
      for (const name of node.output) this.producers.set(name, node);
      for (const name of node.input) {
        const readers = this.readers.get(name);
        if (readers) readers.push(node);
        else this.readers.set(name, [node]);
      }
    }
  }

  private producer(name: string | undefined, op: string): Node | undefined {
    const node = name === undefined ? undefined : this.producers.get(name);
    return node?.opType === op ? node : undefined;
  }

  private consumers(name: string | undefined): Node[] {
    return (name !== undefined && this.readers.get(name)) || [];
  }

  /** The only node reading `node`'s output, if it is an `op` and the output is not the graph's. */
  private soleConsumer(node: Node, op: string): Node | undefined {
    const name = node.output[0] as string;
    const readers = this.consumers(name);
    return readers.length === 1 && readers[0]?.opType === op && !this.outputs.has(name) ? readers[0] : undefined;
  }

  /** The scalar constant that `node` combines with `x`. */
  private scaleOf(node: Node, x: string): number | undefined {
    const [a, b] = node.input;
    if (a === x) return this.scalar(b);
    return b === x ? this.scalar(a) : undefined;
  }

  private scalar(name: string | undefined): number | undefined {
    const c = this.constant(name);
    return c?.values.length === 1 ? c.values[0] : undefined;
  }

  /** A Constant-node input of `node` that nothing else reads, so it may be rewritten. */
  private ownConstant(node: Node, index: number) {
    const name = node.input[index];
    return this.consumers(name).length === 1 ? this.constant(name) : undefined;
  }

  /** A float Constant node's tensor: its values, its dims, and a setter that rewrites them as raw data. */
  private constant(name: string | undefined) {
    const node = name === undefined ? undefined : this.producer(name, 'Constant');
    const tensor = node?.attribute[0]?.t;
    if (!tensor || tensor.dataType !== onnx.TensorProto.DataType.FLOAT) return undefined;
    const dims = (tensor.dims ?? []).map(int);
    const values = tensor.rawData?.length
      ? // A copy: the raw bytes are a view into the model, not necessarily 4-byte aligned.
        new Float32Array(Uint8Array.from(tensor.rawData).buffer)
      : Float32Array.from(tensor.floatData ?? []);
    const set = (next: Float32Array) => {
      tensor.floatData = [];
      tensor.rawData = new Uint8Array(next.buffer, next.byteOffset, next.byteLength);
    };
    return { values, dims, set };
  }
}

function attribute(node: Node, name: string): onnx.IAttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer) };
}
