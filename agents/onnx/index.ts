/**
 * ONNX in and out: the contract a policy model follows (contract.ts), a trained PPO/SAC policy as
 * an ONNX model (export.ts), a graph builder (graph.ts) and the protobuf codec (proto.ts), and any
 * contract-following model as a Policy run by ONNX Runtime (policy.ts, runtime.ts).
 *
 * contract.ts, export.ts, graph.ts and proto.ts use no Node API (a browser can export and inspect
 * models; test/agents/onnx/browser-safe.test.ts checks it); import them by their own paths there.
 * policy.ts and runtime.ts need Node (onnxruntime-node is a native addon).
 */
export { OnnxError, DataType, AttributeType, dataTypeName, encodeModel, decodeModel } from './proto.ts';
export type { Model, Graph, Node, Tensor, ValueInfo, Dim, AttributeValue } from './proto.ts';
export { GraphBuilder, tensorInfo, IR_VERSION, OPSET } from './graph.ts';
export type { DenseLayer, Attr } from './graph.ts';
export { CONTRACT, INPUT_NAME, ACTION_OUTPUT, LOGITS_OUTPUT, BATCH_DIM, META, actionShapeFromJson, describeAction, describeShape, graphInputs, checkSignature } from './contract.ts';
export type { ActionShape, Signature } from './contract.ts';
export { buildPolicyModel, exportPolicy, policyGraphSpec } from './export.ts';
export type { EnvDescription, ExportOptions, ExportedPolicy, PolicyGraphSpec } from './export.ts';
export { OnnxPolicy } from './policy.ts';
export type { OnnxPolicyOptions } from './policy.ts';
export { OrtSession, onnxRuntime } from './runtime.ts';
export type { OrtTensor } from './runtime.ts';
