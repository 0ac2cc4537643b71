declare module 'heic-decode' {
  interface DecodedImage {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  interface LazyImage {
    width: number;
    height: number;
    decode(): Promise<DecodedImage>;
  }
  type LazyImages = LazyImage[] & { dispose(): void };
  interface HeicDecode {
    (input: { buffer: Buffer | ArrayBuffer }): Promise<DecodedImage>;
    all(input: { buffer: Buffer | ArrayBuffer }): Promise<LazyImages>;
  }
  const decode: HeicDecode;
  export default decode;
}
