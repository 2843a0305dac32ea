/** ELF: our own reader, the Rust demangler, `verify` and `size`. */
export { ElfFile, readElf, withElf, type ElfHeader, type ProgramHeader, type SectionHeader, type ElfSymbol, type DynamicEntry, type ElfNote, type SymbolTableKind } from "./reader.js";
export { BufferSource, FileSource, type ByteSource } from "./source.js";
export { demangle, isRustSymbol } from "./demangle.js";
export { verifyElf, verifyOpened, verifyVerdict, VERIFY_CODES, describeVerifyCode, verifyDocPage, type VerifyOptions, type VerifyResult, type VerifyFacts } from "./verify/index.js";
export { sizeReport, sizeOfOpened, genericGroupName, type SizeOptions, type SizeReport, type SizeSection, type SizeSymbol, type SizeRegion } from "./size.js";
export { formatSizeReport, humanBytes } from "./format-size.js";
export { allocatedSections, memoryUsage, type SectionPlacement, type MemoryUsage, type SectionKind } from "./layout.js";
