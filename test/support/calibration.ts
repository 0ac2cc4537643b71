import { CALIBRATION_ENV } from '../../lambdas/vision/calibration';
import { FIXED_CALIBRATION } from '../fixtures';

/**
 * The runner's environment for a test of something other than the models (search, the detail page's boxes, people
 * corrections) that needs the fixtures' objects and faces shown: the fixed thresholds of before the calibration
 * (objects 0.4, faces 0.8, labels 0.5). What the calibrated thresholds show is tested by bench/accuracy's regression
 * test and test/e2e/parity.test.ts.
 */
export const FIXED_THRESHOLDS = { [CALIBRATION_ENV]: FIXED_CALIBRATION };
