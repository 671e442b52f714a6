// Objects laid out as static data by hand, for shared constants that would
// otherwise be built by the module's start function, which every instance
// runs before its first call (cold start, ABI.md). The collector treats them
// as it treats string literals: reachable, never freed.

/**
 * The words of the runtime's header in front of an object (block info, the
 * collector's two words, class id, byte size: std/assembly/rt/common.ts);
 * the object starts right after them.
 */
// @ts-ignore: decorator
@inline export const HEADER_WORDS: i32 = 5;

/** The address of an object whose header starts at `at`. */
// @ts-ignore: decorator
@inline export function objectAt<T>(at: usize): T {
  return changetype<T>(at + (<usize>HEADER_WORDS << 2));
}

/**
 * An object of 0 bytes, never written to: the empty ArrayBuffer, and the
 * empty StaticArray of any element type (its length is its byte size over
 * the element size; with 0 bytes nothing reads the class id, and the
 * collector visits an ArrayBuffer's members, of which there are none). One
 * shared header instead of one static literal per type.
 */
export const EMPTY_OBJECT: usize = memory.data<u32>([0, 0, 0, idof<ArrayBuffer>(), 0], 4) + (<usize>HEADER_WORDS << 2);
