import { contentTypeOf } from '../../../lambdas/cli/api-client';
import { fixture } from '../../fixtures';

describe('the content type the CLI declares', () => {
  it("declares a Live Photo's MOV as video/quicktime, by its name, and its still by its bytes", () => {
    expect(contentTypeOf(fixture('motion/IMG_0001.MOV'), 'IMG_0001.MOV')).toBe('video/quicktime');
    expect(contentTypeOf(fixture('motion/IMG_0001.JPG'), 'IMG_0001.JPG')).toBe('image/jpeg');
    expect(contentTypeOf(fixture('motion/google-motion.jpg'), 'PXL_1.MP.jpg')).toBe('image/jpeg');
  });
});
