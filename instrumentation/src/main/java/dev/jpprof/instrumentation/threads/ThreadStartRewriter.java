package dev.jpprof.instrumentation.threads;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites {@code java.lang.Thread.start()} to begin with
 *
 * <pre>{@code
 * try { ThreadHook.starting(this); } catch (Throwable ignored) {}
 * }</pre>
 *
 * and leaves every other method's bytecode as it was. Plain ASM rather than Byte Buddy's agent
 * builder: this runs in premain, before main(), where Byte Buddy's builder would cost hundreds of
 * milliseconds of the application's start (BENCHMARKS.md). It runs there because rewriting Thread
 * later, while threads run, leaves their {@code Thread.run} frames on a class version
 * async-profiler cannot walk: every CPU stack of those threads would end in {@code
 * break_interpreted}.
 */
final class ThreadStartRewriter implements ClassFileTransformer {
  static final String THREAD = "java/lang/Thread";
  private static final String HOOK = "dev/jpprof/bootstrap/ThreadHook";

  private volatile boolean active = true;

  /** After this, a retransformation restores the original Thread. */
  void deactivate() {
    active = false;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String name,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] classfile) {
    if (!active || !THREAD.equals(name) || loader != null) {
      return null;
    }
    try {
      return rewrite(classfile);
    } catch (RuntimeException e) {
      return null; // Thread stays as it is: threadcreate stays empty, nothing else breaks
    }
  }

  /** The class file with the hook at the start of {@code start()V}. */
  static byte[] rewrite(byte[] classfile) {
    ClassReader reader = new ClassReader(classfile);
    // Constant pool copied, so untouched methods keep their exact bytecode.
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            return name.equals("start") && descriptor.equals("()V") ? new HookAtEntry(mv) : mv;
          }
        },
        ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  private static final class HookAtEntry extends MethodVisitor {
    HookAtEntry(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      Label start = new Label();
      Label end = new Label();
      Label handler = new Label();
      Label body = new Label();
      super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
      super.visitLabel(start);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "starting", "(Ljava/lang/Thread;)V", false);
      super.visitLabel(end);
      super.visitJumpInsn(Opcodes.GOTO, body);
      super.visitLabel(handler);
      super.visitFrame(
          Opcodes.F_NEW, 1, new Object[] {THREAD}, 1, new Object[] {"java/lang/Throwable"});
      super.visitInsn(Opcodes.POP);
      super.visitLabel(body);
      super.visitFrame(Opcodes.F_NEW, 1, new Object[] {THREAD}, 0, new Object[0]);
    }
  }
}
