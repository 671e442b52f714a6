// Static UTF-8 texts for messages. Messages only ever leave the engine as
// UTF-8, and a string literal is stored as UTF-16 with a header, more than
// twice the bytes. `utf8("…")` is rewritten at compile time
// (asc-utf8-texts.mjs) to the address of that text's static data: a length
// byte followed by the text's UTF-8 bytes, each distinct text once, and only
// in a binary whose code reads it.

/** The address of a static UTF-8 text: its length (u8), then its bytes. */
export type Text = usize;

// @ts-ignore: replaced by the transform before compilation, never called
export declare function utf8(s: string): Text;

/** Length in bytes. */
// @ts-ignore: decorator
@inline
export function textLen(t: Text): i32 {
  return <i32>load<u8>(t);
}

/** Address of the first byte. */
// @ts-ignore: decorator
@inline
export function textPtr(t: Text): usize {
  return t + 1;
}
