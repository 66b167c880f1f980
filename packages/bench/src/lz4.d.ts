// The `lz4` package (node-lz4) has no types; the wire bench uses its frame encoder and decoder
// as the baseline lz4-napi was chosen over.
declare module 'lz4' {
  const lz4: { encode(input: Buffer): Buffer; decode(input: Buffer): Buffer };
  export default lz4;
}
