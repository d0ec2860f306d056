/// Bytecode: code generator, bundle format, verifier, disassembler.
