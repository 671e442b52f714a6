// The test binary: the whole ABI plus test-only exports. Never released.
export * from "./abi";
export * from "./test-exports/hash";
export * from "./test-exports/interner";
export * from "./test-exports/record-blocks";
