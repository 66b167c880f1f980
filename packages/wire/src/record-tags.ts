/**
 * Tags (field number << 3 | wire type) of a SessionRecord's fields and of a map entry's, for
 * the hand-written writers and readers of macro chunk records (record-writer.ts, and the
 * Standby's transcoder in checkpoint).
 */
export const T_ID = 0x0a;
export const T_CLASS = 0x10;
export const T_CREATED = 0x18;
export const T_LIFETIME = 0x20;
export const T_EXPIRES = 0x28;
export const T_ATTR = 0x32;
export const T_COUNTER = 0x3a;
export const T_VERSION = 0x40;
export const T_KEY = 0x0a;
export const T_STRING_VALUE = 0x12;
export const T_VARINT_VALUE = 0x10;
