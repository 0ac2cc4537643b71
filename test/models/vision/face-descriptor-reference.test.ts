import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { faceChip } from '../../../lambdas/vision/face-chip';
import { describeChips } from '../../../lambdas/vision/face-descriptor';
import { detectFaceKeypoints } from '../../../lambdas/vision/faces';
import { rasterOf } from '../../support/raster';

/**
 * Our network is written from face-api's source and reads only its weights: on the same chip, face-api's own
 * FaceRecognitionNet (its Node WebAssembly build, run here on TF.js's CPU backend) must answer the same numbers.
 */
describe('the face descriptor network against @vladmandic/face-api', () => {
  it("answers face-api's descriptor for the same chip, to float precision", async () => {
    const raster = await rasterOf('vision/person-astronaut.jpg');
    const [face] = await detectFaceKeypoints(raster);
    if (!face) throw new Error('no face');
    const chip = faceChip(raster, face.keypoints);
    const [ours] = await describeChips([chip]);

    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
    await faceapi.tf.setBackend('cpu');
    const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    const [group] = JSON.parse(readFileSync(join(models, 'face_recognition_model-weights_manifest.json'), 'utf8'));
    const bin = readFileSync(join(models, 'face_recognition_model.bin'));
    const weights = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
    faceapi.nets.faceRecognitionNet.loadFromWeightMap(faceapi.tf.io.decodeWeights(weights, group.weights));
    const input = faceapi.tf.tensor3d(Array.from(chip), [150, 150, 3], 'int32');
    const theirs: Float32Array = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);

    expect(ours).toHaveLength(theirs.length);
    const largest = Math.max(...(ours ?? []).map((value, i) => Math.abs(value - (theirs[i] as number))));
    expect(largest).toBeLessThan(1e-5);
  }, 60_000);
});
