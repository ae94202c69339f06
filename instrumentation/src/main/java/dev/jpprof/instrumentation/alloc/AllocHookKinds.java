package dev.jpprof.instrumentation.alloc;

import dev.jpprof.bootstrap.AllocHook;

/**
 * Maps bytecode array types to {@link AllocHook}'s kind constants. Only compile-time constants of
 * {@code AllocHook} are used here, which javac inlines, so this class never loads it.
 */
final class AllocHookKinds {
  static final int REFERENCE = AllocHook.REFERENCE;

  private AllocHookKinds() {}

  /** The kind for a {@code NEWARRAY} operand ({@code T_BOOLEAN} = 4 .. {@code T_LONG} = 11). */
  static int ofNewArrayOperand(int operand) {
    // T_BOOLEAN, T_CHAR, T_FLOAT, T_DOUBLE, T_BYTE, T_SHORT, T_INT, T_LONG
    int[] kinds = {
      AllocHook.BOOLEAN,
      AllocHook.CHAR,
      AllocHook.FLOAT,
      AllocHook.DOUBLE,
      AllocHook.BYTE,
      AllocHook.SHORT,
      AllocHook.INT,
      AllocHook.LONG
    };
    return kinds[operand - 4];
  }

  /** The kind of the elements of an array type descriptor such as {@code [I}; -1 if none. */
  static int ofArrayDescriptor(String descriptor) {
    if (descriptor.length() < 2 || descriptor.charAt(0) != '[') {
      return -1;
    }
    switch (descriptor.charAt(1)) {
      case 'Z':
        return AllocHook.BOOLEAN;
      case 'B':
        return AllocHook.BYTE;
      case 'C':
        return AllocHook.CHAR;
      case 'S':
        return AllocHook.SHORT;
      case 'I':
        return AllocHook.INT;
      case 'F':
        return AllocHook.FLOAT;
      case 'J':
        return AllocHook.LONG;
      case 'D':
        return AllocHook.DOUBLE;
      default:
        return AllocHook.REFERENCE;
    }
  }
}
