import { readFile } from 'node:fs/promises';
import { ort } from './onnx';
import { decode, encode, type Field, field, text, varints } from './protobuf';

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/**
 * Like onnx.ts's `loadSession` (one session per model file for the life of the process, same threads), with the
 * model's element-wise chains folded first.
 */
export function loadFoldedSession(path: string): Promise<ort.InferenceSession> {
  let session = sessions.get(path);
  if (!session) {
    session = readFile(path).then((bytes) =>
      ort.InferenceSession.create(foldAffineChains(bytes), {
        intraOpNumThreads: 2,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
        // Idle ORT threads spin by default, taking a core from the JS and libvips work between runs (and from
        // other processes): without spinning a whole OCR call was 5 % faster here, far more on a busy machine.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      }),
    );
    sessions.set(path, session);
    // A failed load is not cached: the next call tries again and reports its own error.
    session.catch(() => sessions.delete(path));
  }
  return session;
}

/**
 * Folds the element-wise chains of paddle2onnx exports (PP-OCRv4's PPLCNetV3 backbones) into the convolutions
 * around them, in memory, before ONNX Runtime sees the model. Same weights, same arithmetic up to float rounding
 * (outputs agree to about 1e-6). ONNX Runtime 1.30 does not fold these chains itself (nor with the Mul's operands
 * swapped), and the element-wise passes over full-size activations, with the layout conversions around them,
 * took about half the detector's time on this CPU.
 *
 * 1. Conv -> Mul(s) -> Add(b), the "learnable affine block" after a convolution: into its weights and bias.
 * 2. x * Clip(x + 3, 0, 6) / 6 (hard-swish written out in four passes): x * HardSigmoid(x), which ONNX Runtime
 *    recognises as hard-swish and runs inside the convolution before it.
 * 3. Mul(s) -> Add(b) -> a 1x1 convolution without padding: into that convolution's weights and bias.
 * 4. Mul(s) -> Add(b) -> any other convolution (its zero padding would see b, so no fold): one depthwise 1x1
 *    convolution with weight s and bias b. The same arithmetic, but a convolution keeps ONNX Runtime in its
 *    blocked NCHWc layout, where a scalar Mul and Add cost two passes plus two layout conversions.
 *
 * Returns the model's bytes unchanged when nothing matches.
 */
export function foldAffineChains(model: Uint8Array): Uint8Array {
  const top = decode(model);
  const graphField = top.find((f) => f.no === MODEL_GRAPH);
  if (!graphField) return model;
  const graph = new Graph(decode(graphField.bytes));
  const folded = graph.foldConvAffine() + graph.foldHardSwish() + graph.foldAffineConv() + graph.affineAsConv();
  if (folded === 0) return model;
  graphField.bytes = graph.encode();
  return encode(top);
}

/** ONNX field numbers (onnx.proto). */
const MODEL_GRAPH = 7;
const [GRAPH_NODE, GRAPH_OUTPUT] = [1, 12];
const [NODE_INPUT, NODE_OUTPUT, NODE_OP, NODE_ATTRIBUTE] = [1, 2, 4, 5];
const [ATTR_NAME, ATTR_F, ATTR_I, ATTR_T, ATTR_INTS, ATTR_TYPE] = [1, 2, 3, 5, 8, 20];
const [TENSOR_FLOATS, TENSOR_RAW] = [4, 9];
const [ATTR_TYPE_FLOAT, ATTR_TYPE_INT, ATTR_TYPE_INTS] = [1, 2, 7];
const [GRAPH_INITIALIZER, TENSOR_DIMS, TENSOR_TYPE, TENSOR_NAME, TENSOR_FLOAT] = [5, 1, 2, 8, 1];

interface Node {
  inputs: string[];
  outputs: string[];
  op: string;
  /** Name, attributes, domain, doc string: written back as read unless edited. */
  other: Field[];
  /** As read, with what it was read into: reused when nothing above was replaced. */
  read: { bytes: Uint8Array; inputs: string[]; outputs: string[]; op: string; other: Field[]; payloads: Uint8Array[] };
}

class Graph {
  private nodes: Node[];
  readonly other: Field[];
  private readonly outputs: Set<string>;
  private readonly producers = new Map<string, Node>();
  private readonly readers = new Map<string, Node[]>();

  constructor(fields: Field[]) {
    this.nodes = fields.filter((f) => f.no === GRAPH_NODE).map((f) => parseNode(f.bytes));
    this.other = fields.filter((f) => f.no !== GRAPH_NODE);
    this.index(this.nodes);
    this.outputs = new Set(
      this.other
        .filter((f) => f.no === GRAPH_OUTPUT)
        .map((f) => text(decode(f.bytes).find((v) => v.no === 1) as Field)),
    );
  }

  encode(): Uint8Array {
    return encode([...this.nodes.map((n) => field.bytes(GRAPH_NODE, encodeNode(n))), ...this.other]);
  }

  foldConvAffine(): number {
    return this.fold((conv) => {
      if (conv.op !== 'Conv') return false;
      const mul = this.soleConsumer(conv, 'Mul');
      const s = mul && this.scaleOf(mul, conv.outputs[0] as string);
      const add = mul && this.soleConsumer(mul, 'Add');
      const b = add && this.scaleOf(add, mul.outputs[0] as string);
      const weights = this.ownConstant(conv, 1);
      const bias = this.ownConstant(conv, 2);
      if (s === undefined || b === undefined || !weights || !bias || !add) return false;
      weights.set(weights.values.map((w) => w * s));
      bias.set(bias.values.map((v) => v * s + b));
      conv.outputs = add.outputs;
      return [mul, add];
    });
  }

  foldHardSwish(): number {
    return this.fold((div) => {
      if (div.op !== 'Div' || this.scalar(div.inputs[1]) !== 6) return false;
      const mul = this.producer(div.inputs[0], 'Mul');
      const clip = mul && this.producer(mul.inputs[1], 'Clip');
      const add = clip && this.producer(clip.inputs[0], 'Add');
      const x = mul?.inputs[0];
      if (!mul || !clip || !add || add.inputs[0] !== x || this.scalar(add.inputs[1]) !== 3) return false;
      const low = clip.inputs[1] ? this.scalar(clip.inputs[1]) : floatAttribute(clip, 'min');
      const high = clip.inputs[2] ? this.scalar(clip.inputs[2]) : floatAttribute(clip, 'max');
      if (low !== 0 || high !== 6 || this.consumers(add.outputs[0]).length !== 1) return false;
      if (this.consumers(clip.outputs[0]).length !== 1 || this.consumers(mul.outputs[0]).length !== 1) return false;
      // clip(x + 3, 0, 6) / 6 = clip(x / 6 + 0.5, 0, 1): HardSigmoid with alpha 1/6, beta 0.5.
      clip.op = 'HardSigmoid';
      clip.inputs = [x as string];
      clip.other = [
        ...clip.other.filter((f) => f.no !== NODE_ATTRIBUTE),
        floatAttributeField('alpha', 1 / 6),
        floatAttributeField('beta', 0.5),
      ];
      mul.outputs = div.outputs;
      return [add, div];
    });
  }

  foldAffineConv(): number {
    return this.fold((mul) => {
      if (mul.op !== 'Mul') return false;
      const x = mul.inputs.find((name) => this.scalar(name) === undefined);
      const s = x === undefined ? undefined : this.scaleOf(mul, x);
      const add = this.soleConsumer(mul, 'Add');
      const b = add && this.scaleOf(add, mul.outputs[0] as string);
      const conv = add && this.soleConsumer(add, 'Conv');
      if (s === undefined || b === undefined || !conv || conv.inputs[0] !== add?.outputs[0]) return false;
      const weights = this.ownConstant(conv, 1);
      const bias = this.ownConstant(conv, 2);
      const [out, inputs, kh, kw] = weights?.dims ?? [];
      const pads = intsAttribute(conv, 'pads') ?? [];
      if (!weights || !bias || kh !== 1 || kw !== 1 || (intAttribute(conv, 'group') ?? 1) !== 1) return false;
      if (pads.some((p) => p !== 0) || out === undefined || inputs === undefined) return false;
      // W (s x + b) + B = (s W) x + (B + b * sum of W's row).
      bias.set(
        bias.values.map(
          (v, o) => v + b * weights.values.subarray(o * inputs, (o + 1) * inputs).reduce((a, w) => a + w, 0),
        ),
      );
      weights.set(weights.values.map((w) => w * s));
      conv.inputs = [x as string, ...conv.inputs.slice(1)];
      return [mul, add];
    });
  }

  affineAsConv(): number {
    return this.fold((mul) => {
      if (mul.op !== 'Mul') return false;
      const y = mul.inputs.find((name) => this.scalar(name) === undefined);
      const s = y === undefined ? undefined : this.scaleOf(mul, y);
      const add = this.soleConsumer(mul, 'Add');
      const b = add && this.scaleOf(add, mul.outputs[0] as string);
      const conv = add && this.soleConsumer(add, 'Conv');
      const perGroup = conv && this.constant(conv.inputs[1])?.dims[1];
      if (s === undefined || b === undefined || !conv || !add || perGroup === undefined) return false;
      const channels = perGroup * (intAttribute(conv, 'group') ?? 1);
      const name = `${add.outputs[0]}_affine`;
      this.other.push(
        tensorField(`${name}_w`, [channels, 1, 1, 1], new Float32Array(channels).fill(s)),
        tensorField(`${name}_b`, [channels], new Float32Array(channels).fill(b)),
      );
      mul.op = 'Conv';
      mul.inputs = [y as string, `${name}_w`, `${name}_b`];
      mul.outputs = add.outputs;
      mul.other = [
        ...mul.other.filter((f) => f.no !== NODE_ATTRIBUTE),
        field.bytes(
          NODE_ATTRIBUTE,
          encode([
            field.string(ATTR_NAME, 'group'),
            field.varint(ATTR_I, channels),
            field.varint(ATTR_TYPE, ATTR_TYPE_INT),
          ]),
        ),
        field.bytes(
          NODE_ATTRIBUTE,
          encode([
            field.string(ATTR_NAME, 'kernel_shape'),
            field.varint(ATTR_INTS, 1),
            field.varint(ATTR_INTS, 1),
            field.varint(ATTR_TYPE, ATTR_TYPE_INTS),
          ]),
        ),
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
      for (const name of node.outputs) this.producers.set(name, node);
      for (const name of node.inputs) {
        const readers = this.readers.get(name);
        if (readers) readers.push(node);
        else this.readers.set(name, [node]);
      }
    }
  }

  private producer(name: string | undefined, op: string): Node | undefined {
    const node = name === undefined ? undefined : this.producers.get(name);
    return node?.op === op ? node : undefined;
  }

  private consumers(name: string | undefined): Node[] {
    return (name !== undefined && this.readers.get(name)) || [];
  }

  /** The only node reading `node`'s output, if it is an `op` and the output is not the graph's. */
  private soleConsumer(node: Node, op: string): Node | undefined {
    const name = node.outputs[0] as string;
    const readers = this.consumers(name);
    return readers.length === 1 && readers[0]?.op === op && !this.outputs.has(name) ? readers[0] : undefined;
  }

  /** The scalar constant that `node` combines with `x`. */
  private scaleOf(node: Node, x: string): number | undefined {
    const [a, b] = node.inputs;
    if (a === x) return this.scalar(b);
    return b === x ? this.scalar(a) : undefined;
  }

  private scalar(name: string | undefined): number | undefined {
    const c = this.constant(name);
    return c?.values.length === 1 ? c.values[0] : undefined;
  }

  /** A Constant-node input of `node` that nothing else reads, so it may be rewritten. */
  private ownConstant(node: Node, index: number) {
    const name = node.inputs[index];
    return this.consumers(name).length === 1 ? this.constant(name) : undefined;
  }

  private constant(name: string | undefined) {
    const node = name === undefined ? undefined : this.producer(name, 'Constant');
    const attribute = node?.other.find((f) => f.no === NODE_ATTRIBUTE);
    if (!node || !attribute) return undefined;
    const attributeFields = decode(attribute.bytes);
    const tensorField = attributeFields.find((f) => f.no === ATTR_T);
    if (!tensorField) return undefined;
    const tensor = decode(tensorField.bytes);
    if (tensor.find((f) => f.no === 2)?.bytes[0] !== 1) return undefined; // data_type FLOAT
    const dims = tensor.filter((f) => f.no === 1).flatMap(varints);
    const values = floatsOf(tensor);
    const set = (next: Float32Array) => {
      tensorField.bytes = encode([
        ...tensor.filter((f) => f.no !== TENSOR_FLOATS && f.no !== TENSOR_RAW),
        field.bytes(TENSOR_RAW, new Uint8Array(next.buffer, next.byteOffset, next.byteLength)),
      ]);
      attribute.bytes = encode(attributeFields);
    };
    return { values, dims, set };
  }
}

function parseNode(bytes: Uint8Array): Node {
  const fields = decode(bytes);
  const inputs = fields.filter((f) => f.no === NODE_INPUT).map(text);
  const outputs = fields.filter((f) => f.no === NODE_OUTPUT).map(text);
  const op = text(fields.find((f) => f.no === NODE_OP) as Field);
  const other = fields.filter((f) => f.no !== NODE_INPUT && f.no !== NODE_OUTPUT && f.no !== NODE_OP);
  return {
    inputs,
    outputs,
    op,
    other,
    read: { bytes, inputs, outputs, op, other, payloads: other.map((f) => f.bytes) },
  };
}

function encodeNode(node: Node): Uint8Array {
  const { read } = node;
  const unchanged =
    node.inputs === read.inputs &&
    node.outputs === read.outputs &&
    node.op === read.op &&
    node.other === read.other &&
    node.other.every((f, i) => f.bytes === read.payloads[i]);
  if (unchanged) return read.bytes;
  return encode([
    ...node.inputs.map((name) => field.string(NODE_INPUT, name)),
    ...node.outputs.map((name) => field.string(NODE_OUTPUT, name)),
    field.string(NODE_OP, node.op),
    ...node.other,
  ]);
}

function floatsOf(tensor: Field[]): Float32Array {
  const raw = tensor.find((f) => f.no === TENSOR_RAW);
  const source = raw ? [raw] : tensor.filter((f) => f.no === TENSOR_FLOATS);
  const bytes = new Uint8Array(source.reduce((n, f) => n + f.bytes.length, 0));
  let at = 0;
  for (const f of source) {
    bytes.set(f.bytes, at);
    at += f.bytes.length;
  }
  return new Float32Array(bytes.buffer);
}

function attribute(node: Node, name: string): Field[] | undefined {
  for (const f of node.other) {
    if (f.no !== NODE_ATTRIBUTE) continue;
    const fields = decode(f.bytes);
    if (fields.some((a) => a.no === ATTR_NAME && text(a) === name)) return fields;
  }
  return undefined;
}

function floatAttribute(node: Node, name: string): number | undefined {
  const f = attribute(node, name)?.find((a) => a.no === ATTR_F);
  return f ? new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true) : undefined;
}

function intAttribute(node: Node, name: string): number | undefined {
  const f = attribute(node, name)?.find((a) => a.no === ATTR_I);
  return f ? varints(f)[0] : undefined;
}

function intsAttribute(node: Node, name: string): number[] | undefined {
  return attribute(node, name)
    ?.filter((a) => a.no === ATTR_INTS)
    .flatMap(varints);
}

function floatAttributeField(name: string, value: number): Field {
  return field.bytes(
    NODE_ATTRIBUTE,
    encode([field.string(ATTR_NAME, name), field.float(ATTR_F, value), field.varint(ATTR_TYPE, ATTR_TYPE_FLOAT)]),
  );
}

function tensorField(name: string, dims: number[], values: Float32Array): Field {
  return field.bytes(
    GRAPH_INITIALIZER,
    encode([
      ...dims.map((d) => field.varint(TENSOR_DIMS, d)),
      field.varint(TENSOR_TYPE, TENSOR_FLOAT),
      field.string(TENSOR_NAME, name),
      field.bytes(TENSOR_RAW, new Uint8Array(values.buffer)),
    ]),
  );
}
