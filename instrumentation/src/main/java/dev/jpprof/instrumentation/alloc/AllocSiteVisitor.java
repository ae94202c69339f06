package dev.jpprof.instrumentation.alloc;

import java.util.ArrayDeque;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Inserts the sampling code after each allocation of one method.
 *
 * <p>For {@code NEW T} the code goes after the matching {@code T.<init>} (before it the object is
 * uninitialized and the verifier forbids passing it anywhere):
 *
 * <pre>
 *   LDC size; INVOKESTATIC sample(J)Z; IFEQ skip;
 *   DUP; LDC size; INVOKESTATIC sampled(Object, J)V; skip:
 * </pre>
 *
 * Only the constant size reaches the hook on the fast path, so an object that never escapes stays
 * scalar-replaceable. Arrays ({@code NEWARRAY}, {@code ANEWARRAY}, and the results of {@code
 * Arrays.copyOf*} and array {@code clone()}, which C2 intrinsifies and so cannot be instrumented
 * inside) pass their length and kind. {@code MULTIANEWARRAY} and the JDK's {@code
 * Unsafe.allocateUninitializedArray} hand over the result, which the hook walks.
 */
final class AllocSiteVisitor extends MethodVisitor implements Opcodes {
  static final String HOOK = "dev/jpprof/bootstrap/AllocHook";

  private final ToLongFunction<String> instanceSize;
  private final Predicate<String> unsampledNew;
  // NEW instructions whose <init> has not been seen yet; innermost last.
  private final ArrayDeque<PendingNew> pending = new ArrayDeque<>();
  private PendingNew justCreated;

  /** {@code unsampledNew}: the classes whose {@code new} gets no hook (internal names). */
  AllocSiteVisitor(
      MethodVisitor mv, ToLongFunction<String> instanceSize, Predicate<String> unsampledNew) {
    super(OpenedClassReader.ASM_API, mv);
    this.instanceSize = instanceSize;
    this.unsampledNew = unsampledNew;
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    super.visitTypeInsn(opcode, type);
    justCreated = null;
    if (opcode == NEW) {
      justCreated = new PendingNew(type);
      pending.push(justCreated);
    } else if (opcode == ANEWARRAY) {
      afterArray(AllocHookKinds.REFERENCE, null);
    }
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode == DUP && justCreated != null) {
      // Only NEW; DUP leaves a copy of the object on the stack after <init> for our hook.
      justCreated.duplicated = true;
    }
    justCreated = null;
    super.visitInsn(opcode);
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    justCreated = null;
    super.visitIntInsn(opcode, operand);
    if (opcode == NEWARRAY) {
      afterArray(AllocHookKinds.ofNewArrayOperand(operand), null);
    }
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    justCreated = null;
    super.visitMultiANewArrayInsn(descriptor, numDimensions);
    super.visitInsn(DUP);
    super.visitMethodInsn(INVOKESTATIC, HOOK, "multiArray", "(Ljava/lang/Object;)V", false);
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    justCreated = null;
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    if (opcode == INVOKESPECIAL && name.equals("<init>")) {
      PendingNew p = pending.peek();
      if (p != null && p.type.equals(owner)) {
        pending.pop();
        if (p.duplicated && !unsampledNew.test(owner)) {
          afterNew(instanceSize.applyAsLong(owner));
        }
      }
    } else if (opcode == INVOKESTATIC
        && owner.equals("java/util/Arrays")
        && name.startsWith("copyOf")) {
      String result = descriptor.substring(descriptor.indexOf(')') + 1);
      int kind = AllocHookKinds.ofArrayDescriptor(result);
      if (kind >= 0) {
        afterArray(kind, null);
      }
    } else if (opcode == INVOKEVIRTUAL && owner.startsWith("[") && name.equals("clone")) {
      afterArray(AllocHookKinds.ofArrayDescriptor(owner), owner);
    } else if (opcode == INVOKEVIRTUAL
        && owner.equals("jdk/internal/misc/Unsafe")
        && name.equals("allocateUninitializedArray")) {
      // String concatenation's buffers (StringConcatHelper.newArray); the result is typed
      // Object and escapes anyway, so the hook may take it on every call.
      super.visitInsn(DUP);
      super.visitMethodInsn(INVOKESTATIC, HOOK, "multiArray", "(Ljava/lang/Object;)V", false);
    }
  }

  private void afterNew(long size) {
    Label skip = new Label();
    super.visitLdcInsn(size);
    super.visitMethodInsn(INVOKESTATIC, HOOK, "sample", "(J)Z", false);
    super.visitJumpInsn(IFEQ, skip);
    super.visitInsn(DUP);
    super.visitLdcInsn(size);
    super.visitMethodInsn(INVOKESTATIC, HOOK, "sampled", "(Ljava/lang/Object;J)V", false);
    super.visitLabel(skip);
  }

  /** The array is on top of the stack; {@code castTo} is needed when its static type is Object. */
  private void afterArray(int kind, String castTo) {
    Label skip = new Label();
    super.visitInsn(DUP);
    if (castTo != null) {
      super.visitTypeInsn(CHECKCAST, castTo);
    }
    super.visitInsn(ARRAYLENGTH);
    super.visitIntInsn(BIPUSH, kind);
    super.visitMethodInsn(INVOKESTATIC, HOOK, "sampleArray", "(II)Z", false);
    super.visitJumpInsn(IFEQ, skip);
    super.visitInsn(DUP);
    super.visitIntInsn(BIPUSH, kind);
    super.visitMethodInsn(INVOKESTATIC, HOOK, "sampledArray", "(Ljava/lang/Object;I)V", false);
    super.visitLabel(skip);
  }

  // Every other instruction ends a NEW; DUP pair.
  @Override
  public void visitVarInsn(int opcode, int var) {
    justCreated = null;
    super.visitVarInsn(opcode, var);
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    justCreated = null;
    super.visitFieldInsn(opcode, owner, name, descriptor);
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    justCreated = null;
    super.visitJumpInsn(opcode, label);
  }

  @Override
  public void visitLabel(Label label) {
    justCreated = null;
    super.visitLabel(label);
  }

  @Override
  public void visitLdcInsn(Object value) {
    justCreated = null;
    super.visitLdcInsn(value);
  }

  @Override
  public void visitIincInsn(int var, int increment) {
    justCreated = null;
    super.visitIincInsn(var, increment);
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    justCreated = null;
    super.visitTableSwitchInsn(min, max, dflt, labels);
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    justCreated = null;
    super.visitLookupSwitchInsn(dflt, keys, labels);
  }

  @Override
  public void visitInvokeDynamicInsn(
      String name, String descriptor, Handle bsm, Object... bsmArgs) {
    justCreated = null;
    super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
  }

  private static final class PendingNew {
    final String type;
    boolean duplicated;

    PendingNew(String type) {
      this.type = type;
    }
  }
}
