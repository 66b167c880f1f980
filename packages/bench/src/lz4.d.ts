// Minimal types for the `lz4` package (node-lz4), used only by the wire bench as an
// independent implementation of the LZ4 frame format.
declare module 'lz4' {
  interface EncoderOptions {
    blockMaxSize?: number;
    blockChecksum?: boolean;
    streamChecksum?: boolean;
    highCompression?: boolean;
  }
  const lz4: {
    encode(input: Buffer, options?: EncoderOptions): Buffer;
    decode(input: Buffer): Buffer;
  };
  export default lz4;
}
