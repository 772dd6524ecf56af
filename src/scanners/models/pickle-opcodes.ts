/**
 * The pickle opcodes of protocols 0 to 5, as documented in CPython's `pickletools` module and PEP 307
 * (protocol 2), PEP 3154 (protocol 4) and PEP 574 (protocol 5). Each opcode is one byte; `arg` says
 * how its inline argument is encoded.
 */

export type PickleArgKind =
  | 'none'
  | 'line-int' // decimal digits up to a newline (INT, LONG, GET, PUT)
  | 'line-float'
  | 'line-string' // a quoted Python string literal (STRING)
  | 'line-unicode' // raw-unicode-escape text (UNICODE)
  | 'line-raw' // PERSID
  | 'two-lines' // "module\nname\n" (GLOBAL, INST)
  | 'u8'
  | 'u16'
  | 'i32'
  | 'u32'
  | 'u64'
  | 'f64'
  | 'long1'
  | 'long4'
  | 'text-u8' // length-prefixed UTF-8
  | 'text-u32'
  | 'text-u64'
  | 'str-u8' // length-prefixed 8-bit string (SHORT_BINSTRING)
  | 'str-i32'
  | 'bytes-u8'
  | 'bytes-u32'
  | 'bytes-u64';

export interface OpcodeInfo {
  readonly code: number;
  readonly name: string;
  readonly arg: PickleArgKind;
  readonly proto: number;
}

const TABLE: readonly [string, string, PickleArgKind, number][] = [
  ['(', 'MARK', 'none', 0],
  ['.', 'STOP', 'none', 0],
  ['0', 'POP', 'none', 0],
  ['1', 'POP_MARK', 'none', 1],
  ['2', 'DUP', 'none', 0],
  ['F', 'FLOAT', 'line-float', 0],
  ['I', 'INT', 'line-int', 0],
  ['J', 'BININT', 'i32', 1],
  ['K', 'BININT1', 'u8', 1],
  ['L', 'LONG', 'line-int', 0],
  ['M', 'BININT2', 'u16', 1],
  ['N', 'NONE', 'none', 0],
  ['P', 'PERSID', 'line-raw', 0],
  ['Q', 'BINPERSID', 'none', 1],
  ['R', 'REDUCE', 'none', 0],
  ['S', 'STRING', 'line-string', 0],
  ['T', 'BINSTRING', 'str-i32', 1],
  ['U', 'SHORT_BINSTRING', 'str-u8', 1],
  ['V', 'UNICODE', 'line-unicode', 0],
  ['X', 'BINUNICODE', 'text-u32', 1],
  ['a', 'APPEND', 'none', 0],
  ['b', 'BUILD', 'none', 0],
  ['c', 'GLOBAL', 'two-lines', 0],
  ['d', 'DICT', 'none', 0],
  ['}', 'EMPTY_DICT', 'none', 1],
  ['e', 'APPENDS', 'none', 1],
  ['g', 'GET', 'line-int', 0],
  ['h', 'BINGET', 'u8', 1],
  ['i', 'INST', 'two-lines', 0],
  ['j', 'LONG_BINGET', 'u32', 1],
  ['l', 'LIST', 'none', 0],
  [']', 'EMPTY_LIST', 'none', 1],
  ['o', 'OBJ', 'none', 1],
  ['p', 'PUT', 'line-int', 0],
  ['q', 'BINPUT', 'u8', 1],
  ['r', 'LONG_BINPUT', 'u32', 1],
  ['s', 'SETITEM', 'none', 0],
  ['t', 'TUPLE', 'none', 0],
  [')', 'EMPTY_TUPLE', 'none', 1],
  ['u', 'SETITEMS', 'none', 1],
  ['G', 'BINFLOAT', 'f64', 1],
  ['\x80', 'PROTO', 'u8', 2],
  ['\x81', 'NEWOBJ', 'none', 2],
  ['\x82', 'EXT1', 'u8', 2],
  ['\x83', 'EXT2', 'u16', 2],
  ['\x84', 'EXT4', 'i32', 2],
  ['\x85', 'TUPLE1', 'none', 2],
  ['\x86', 'TUPLE2', 'none', 2],
  ['\x87', 'TUPLE3', 'none', 2],
  ['\x88', 'NEWTRUE', 'none', 2],
  ['\x89', 'NEWFALSE', 'none', 2],
  ['\x8a', 'LONG1', 'long1', 2],
  ['\x8b', 'LONG4', 'long4', 2],
  ['B', 'BINBYTES', 'bytes-u32', 3],
  ['C', 'SHORT_BINBYTES', 'bytes-u8', 3],
  ['\x8c', 'SHORT_BINUNICODE', 'text-u8', 4],
  ['\x8d', 'BINUNICODE8', 'text-u64', 4],
  ['\x8e', 'BINBYTES8', 'bytes-u64', 4],
  ['\x8f', 'EMPTY_SET', 'none', 4],
  ['\x90', 'ADDITEMS', 'none', 4],
  ['\x91', 'FROZENSET', 'none', 4],
  ['\x92', 'NEWOBJ_EX', 'none', 4],
  ['\x93', 'STACK_GLOBAL', 'none', 4],
  ['\x94', 'MEMOIZE', 'none', 4],
  ['\x95', 'FRAME', 'u64', 4],
  ['\x96', 'BYTEARRAY8', 'bytes-u64', 5],
  ['\x97', 'NEXT_BUFFER', 'none', 5],
  ['\x98', 'READONLY_BUFFER', 'none', 5],
];

/** Opcode byte → description; undefined for bytes that are not opcodes. */
export const OPCODES: readonly (OpcodeInfo | undefined)[] = (() => {
  const table: (OpcodeInfo | undefined)[] = new Array<OpcodeInfo | undefined>(256).fill(undefined);
  for (const [char, name, arg, proto] of TABLE) {
    const code = char.charCodeAt(0);
    table[code] = { code, name, arg, proto };
  }
  return table;
})();

/** The highest protocol CPython knows. PROTO above it is refused by every unpickler. */
export const HIGHEST_PROTOCOL = 5;
