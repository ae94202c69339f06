/*
 * libjpprof: the native half of jpprof's heap engine.
 *
 * The JVM samples allocations itself (JVMTI SampledObjectAlloc, JEP 331): on the allocation slow
 * path, at exponentially distributed byte gaps per thread, exactly as Go's MemProfileRate does.
 * Compiled code is untouched and scalar-replaced objects are never seen. This library only
 * records what the JVM hands it:
 *
 *   - in the callback (the allocating thread): the stack, a JNI weak reference to the object and
 *     its size, pushed onto a lock-free list; each method on the stack is resolved (class, name,
 *     source file, line table) the first time it is seen, while it is on the stack, and cached.
 *     A jmethodID is never read after its frame is gone (JDK-8313816: reading one of an unloaded
 *     or redefined class can crash older JDK updates).
 *   - in the GC callback: nothing but a counter.
 *   - in jpprof_collect, called by one Java daemon thread: the pending samples move into the
 *     live table, and live samples whose weak reference has cleared are reported freed.
 *
 * Nothing here blocks, calls into Java or allocates Java objects while an application thread is
 * in the callback: memory comes from JVMTI Allocate, the shared tables are lock-free, and every
 * table has a fixed capacity chosen at start (samples that do not fit are counted, not kept).
 * No libc: the library links against nothing, so one build serves glibc and musl alike.
 */
#include <jni.h>
#include <jvmti.h>

#define AGENT_PREFIX "jpprof-"
#define STACK_FRAMES_ON_STACK 256

/* Error codes of jpprof_start beyond JVMTI's own (which are all below 1000). */
#define ERR_NO_JVMTI 1001
#define ERR_ALREADY_STARTED 1002
#define ERR_NO_MEMORY 1003
#define ERR_BAD_ARGUMENT 1004

/*
 * A thread's mark, in its JVMTI thread-local word (no libc TLS needed). An agent thread: MARK_AGENT. An application thread:
 * MARK_APP, or, once it has been sampled, MARK_APP | (interval + 1) << 2 with the JVM's sampling
 * interval at that sample: the JVM draws a thread's next gap right after its sample, so this is
 * the interval of the gap the thread's next sample ends.
 */
#define MARK_APP ((jlong) 1)
#define MARK_AGENT ((jlong) 2)

typedef struct Method {
  jmethodID id;
  jint index;
  jint start_line;
  jint line_count;
  char *class_signature;      /* JVMTI-allocated, modified UTF-8 */
  char *name;                 /* JVMTI-allocated */
  char *source_file;          /* JVMTI-allocated, or NULL */
  jvmtiLineNumberEntry *lines; /* JVMTI-allocated, or NULL */
} Method;

/* One sampled allocation, from the callback until jpprof_collect takes it. */
typedef struct Sample {
  struct Sample *next;
  jweak ref;
  jlong size;
  jint interval; /* the JVM's interval (0: every allocation) when it drew this sample's gap */
  jint depth;
  jint frames[]; /* depth pairs: method index, line */
} Sample;

typedef struct Live {
  jweak ref; /* NULL: the slot is free */
  jlong size;
} Live;

static JavaVM *the_vm;
static jvmtiEnv *jvmti;
static int started;
static volatile int enabled;
static volatile jint interval_now; /* the JVM's sampling interval, as last set (0: every one) */

static jint max_depth;
static jint max_pending;
static jint max_live;
static jint max_methods;
static jint method_slot_mask;

static Sample *volatile pending_head;
static volatile jint pending_count;

static Method *volatile *method_slots; /* open addressing by jmethodID, 2 x max_methods slots */
static Method *volatile *methods;      /* by index; index 0 means "not resolved" */
static volatile jint method_count = 1;

/* Owned by the collecting thread only. */
static Live *live;
static jint *free_slots;
static jint free_count;
static jint live_count;

/* Counters, read by jpprof_stats. */
static volatile jlong samples_seen;
static volatile jlong dropped_objects;
static volatile jlong dropped_bytes;
static volatile jlong gc_count;
static volatile jlong native_bytes;
static volatile jlong failures;
static volatile jint last_failure;

#define LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_RELAXED)

/* Our own, so the library needs no libc. */
static void zero(void *p, jlong n) {
  volatile char *c = (volatile char *) p;
  while (n-- > 0) {
    *c++ = 0;
  }
}

static jlong length(const char *s) {
  jlong n = 0;
  while (s != NULL && s[n] != 0) {
    n++;
  }
  return n;
}

static int starts_with(const char *s, const char *prefix) {
  while (*prefix != 0) {
    if (*s++ != *prefix++) {
      return 0;
    }
  }
  return 1;
}

static void failed(jvmtiError err) {
  ADD(&failures, 1);
  STORE(&last_failure, (jint) err);
}

static void *allocate(jvmtiEnv *env, jlong bytes) {
  unsigned char *p = NULL;
  if ((*env)->Allocate(env, bytes, &p) != JVMTI_ERROR_NONE) {
    return NULL;
  }
  ADD(&native_bytes, bytes);
  return p;
}

static void release(jvmtiEnv *env, void *p, jlong bytes) {
  if (p != NULL && (*env)->Deallocate(env, (unsigned char *) p) == JVMTI_ERROR_NONE) {
    ADD(&native_bytes, -bytes);
  }
}

/* Strings JVMTI allocated for us: counted while we keep them. */
static void forget(jvmtiEnv *env, void *p) {
  if (p != NULL) {
    jvmtiError err = (*env)->Deallocate(env, (unsigned char *) p);
    if (err != JVMTI_ERROR_NONE) {
      failed(err); /* leaked, and counted */
    }
  }
}

static void drop(jlong size) {
  ADD(&dropped_objects, 1);
  ADD(&dropped_bytes, size);
}

/*
 * The agent's own threads (named jpprof-*) allocate while encoding profiles; that is not the
 * application's memory. The name is read once per thread and the answer kept in the thread's
 * JVMTI-local storage: the calling thread's mark (see MARK_APP).
 */
static jlong thread_mark(jvmtiEnv *env, JNIEnv *jni) {
  void *mark = NULL;
  if ((*env)->GetThreadLocalStorage(env, NULL, &mark) != JVMTI_ERROR_NONE) {
    return MARK_APP;
  }
  if (mark != NULL) {
    return (jlong) mark;
  }
  jvmtiThreadInfo info;
  zero(&info, sizeof(info));
  if ((*env)->GetThreadInfo(env, NULL, &info) != JVMTI_ERROR_NONE) {
    return MARK_APP;
  }
  int agent = info.name != NULL && starts_with(info.name, AGENT_PREFIX);
  forget(env, info.name);
  if (info.thread_group != NULL) {
    (*jni)->DeleteLocalRef(jni, info.thread_group);
  }
  if (info.context_class_loader != NULL) {
    (*jni)->DeleteLocalRef(jni, info.context_class_loader);
  }
  jlong m = agent ? MARK_AGENT : MARK_APP;
  if ((*env)->SetThreadLocalStorage(env, NULL, (void *) m) != JVMTI_ERROR_NONE) {
    ADD(&failures, 1); /* named again at its next sample: slower, not wrong */
  }
  return m;
}

/*
 * The interval of the gap that ended in this sample (the JVM's interval now if the thread was
 * not sampled before), and remembers the one the JVM has just drawn the thread's next gap with.
 */
static jint gap_interval(jvmtiEnv *env, jlong mark) {
  jint now = LOAD(&interval_now);
  jlong known = mark >> 2;
  if (known != (jlong) now + 1) {
    jlong next = MARK_APP | (((jlong) now + 1) << 2);
    if ((*env)->SetThreadLocalStorage(env, NULL, (void *) next) != JVMTI_ERROR_NONE) {
      ADD(&failures, 1);
    }
  }
  return known == 0 ? now : (jint) (known - 1);
}

static jint slot_of(jmethodID id) {
  unsigned long long h = (unsigned long long) (unsigned long) id;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return (jint) (h & (unsigned long long) method_slot_mask);
}

static void free_method(jvmtiEnv *env, Method *m) {
  forget(env, m->class_signature);
  forget(env, m->name);
  forget(env, m->source_file);
  forget(env, m->lines);
  release(env, m, sizeof(Method));
}

/* Resolves a method that is on the calling thread's stack right now. */
static Method *resolve(jvmtiEnv *env, JNIEnv *jni, jmethodID id) {
  Method *m = allocate(env, sizeof(Method));
  if (m == NULL) {
    return NULL;
  }
  zero(m, sizeof(Method));
  m->id = id;
  jvmtiError err = (*env)->GetMethodName(env, id, &m->name, NULL, NULL);
  jclass holder = NULL;
  if (err == JVMTI_ERROR_NONE) {
    err = (*env)->GetMethodDeclaringClass(env, id, &holder);
  }
  if (err == JVMTI_ERROR_NONE) {
    err = (*env)->GetClassSignature(env, holder, &m->class_signature, NULL);
  }
  if (err == JVMTI_ERROR_NONE) {
    /* No SourceFile attribute, or a native method without lines: not errors. */
    if ((*env)->GetSourceFileName(env, holder, &m->source_file) != JVMTI_ERROR_NONE) {
      m->source_file = NULL;
    }
    if ((*env)->GetLineNumberTable(env, id, &m->line_count, &m->lines) != JVMTI_ERROR_NONE) {
      m->line_count = 0;
      m->lines = NULL;
    }
  }
  if (holder != NULL) {
    (*jni)->DeleteLocalRef(jni, holder);
  }
  if (err != JVMTI_ERROR_NONE) {
    failed(err);
    free_method(env, m);
    return NULL;
  }
  jint first = 0;
  for (jint i = 0; i < m->line_count; i++) {
    if (first == 0 || m->lines[i].line_number < first) {
      first = m->lines[i].line_number;
    }
  }
  m->start_line = first;
  ADD(&native_bytes, length(m->class_signature) + length(m->name) + length(m->source_file) + 3
      + (jlong) m->line_count * (jlong) sizeof(jvmtiLineNumberEntry));
  return m;
}

/* The cached method, resolved now if new; NULL when it cannot be (table full, JVMTI error). */
static Method *method(jvmtiEnv *env, JNIEnv *jni, jmethodID id) {
  jint slot = slot_of(id);
  for (jint probe = 0; probe <= method_slot_mask; probe++) {
    Method *m = LOAD(&method_slots[slot]);
    if (m == NULL) {
      break;
    }
    if (m->id == id) {
      return m;
    }
    slot = (slot + 1) & method_slot_mask;
  }
  if (LOAD(&method_count) >= max_methods) {
    return NULL;
  }
  Method *m = resolve(env, jni, id);
  if (m == NULL) {
    return NULL;
  }
  jint index = __atomic_fetch_add(&method_count, 1, __ATOMIC_RELAXED);
  if (index >= max_methods) {
    free_method(env, m);
    return NULL;
  }
  m->index = index;
  STORE(&methods[index], m);
  /*
   * Indexes are never reused and at most max_methods methods are ever inserted, so a table of
   * twice that always has a free slot. Two threads resolving the same method at once both
   * publish an index; the loser's copy stays reachable through its index, with the same names.
   */
  slot = slot_of(id);
  for (;;) {
    Method *expected = NULL;
    if (__atomic_compare_exchange_n(&method_slots[slot], &expected, m, 0, __ATOMIC_ACQ_REL,
            __ATOMIC_ACQUIRE)) {
      return m;
    }
    if (expected->id == id) {
      return expected;
    }
    slot = (slot + 1) & method_slot_mask;
  }
}

/* The source line of a bytecode index: the entry with the largest start at or before it. */
static jint line_of(const Method *m, jlocation bci) {
  jint line = 0;
  jlocation best = -1;
  for (jint i = 0; i < m->line_count; i++) {
    jlocation start = m->lines[i].start_location;
    if (start <= bci && start > best) {
      best = start;
      line = m->lines[i].line_number;
    }
  }
  return line;
}

static void push(Sample *s) {
  Sample *head = LOAD(&pending_head);
  do {
    s->next = head;
  } while (!__atomic_compare_exchange_n(&pending_head, &head, s, 1, __ATOMIC_RELEASE,
      __ATOMIC_RELAXED));
}

static void JNICALL on_sample(jvmtiEnv *env, JNIEnv *jni, jthread thread, jobject object,
    jclass klass, jlong size) {
  (void) thread;
  (void) klass;
  if (!LOAD(&enabled)) {
    return;
  }
  jlong mark = thread_mark(env, jni);
  if (mark == MARK_AGENT) {
    return;
  }
  jint interval = gap_interval(env, mark);
  ADD(&samples_seen, 1);
  if (ADD(&pending_count, 1) > max_pending) {
    ADD(&pending_count, -1);
    drop(size); /* the collector is behind: counted, so totals stay right */
    return;
  }
  jvmtiFrameInfo on_stack[STACK_FRAMES_ON_STACK];
  jvmtiFrameInfo *frames = on_stack;
  if (max_depth > STACK_FRAMES_ON_STACK) {
    frames = allocate(env, (jlong) max_depth * (jlong) sizeof(jvmtiFrameInfo));
  }
  Sample *s = NULL;
  jint depth = 0;
  jvmtiError err = frames == NULL ? JVMTI_ERROR_OUT_OF_MEMORY
      : (*env)->GetStackTrace(env, NULL, 0, max_depth, frames, &depth);
  if (err == JVMTI_ERROR_NONE) {
    s = allocate(env, (jlong) sizeof(Sample) + 2 * (jlong) depth * (jlong) sizeof(jint));
  }
  if (s != NULL) {
    s->size = size;
    s->interval = interval;
    s->depth = depth;
    for (jint i = 0; i < depth; i++) {
      Method *m = method(env, jni, frames[i].method);
      s->frames[2 * i] = m == NULL ? 0 : m->index;
      s->frames[2 * i + 1] = m == NULL ? 0 : line_of(m, frames[i].location);
    }
    s->ref = (*jni)->NewWeakGlobalRef(jni, object);
    if (s->ref == NULL) {
      if ((*jni)->ExceptionCheck(jni)) {
        (*jni)->ExceptionClear(jni); /* an OutOfMemoryError of ours is not the app's */
      }
      release(env, s, (jlong) sizeof(Sample) + 2 * (jlong) depth * (jlong) sizeof(jint));
      s = NULL;
    }
  } else if (err != JVMTI_ERROR_NONE) {
    failed(err);
  }
  if (frames != on_stack) {
    release(env, frames, (jlong) max_depth * (jlong) sizeof(jvmtiFrameInfo));
  }
  if (s == NULL) {
    ADD(&pending_count, -1);
    drop(size);
    return;
  }
  push(s);
}

/* Runs inside a GC pause: only a counter, as JVMTI allows nothing more. */
static void JNICALL on_gc_finish(jvmtiEnv *env) {
  (void) env;
  ADD(&gc_count, 1);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void) reserved;
  the_vm = vm;
  jvmtiEnv *env = NULL;
  /* JVMTI 11 brought SampledObjectAlloc; an older JVM has no env for us and start says so. */
  if ((*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_11) == JNI_OK) {
    jvmti = env;
  }
  return JNI_VERSION_1_6;
}

/*
 * Takes the capabilities, sizes the tables and enables the events. Returns 0, a jvmtiError, or
 * one of the ERR_ codes above. The sampling capability is solo: JVMTI_ERROR_NOT_AVAILABLE means
 * another agent (async-profiler alloc, a vendor agent) holds it.
 */
JNIEXPORT jint JNICALL Java_dev_jpprof_agent_heap_NativeHeap_start(JNIEnv *jni, jclass cls,
    jint interval, jint depth, jint pending, jint live_cap, jint method_cap) {
  (void) jni;
  (void) cls;
  if (jvmti == NULL) {
    return ERR_NO_JVMTI;
  }
  if (started) {
    return ERR_ALREADY_STARTED;
  }
  if (interval < 0 || depth < 1 || pending < 1 || live_cap < 1 || method_cap < 2
      || method_cap > (1 << 29)) {
    return ERR_BAD_ARGUMENT;
  }
  jvmtiCapabilities caps;
  zero(&caps, sizeof(caps));
  caps.can_generate_sampled_object_alloc_events = 1;
  caps.can_generate_garbage_collection_events = 1;
  caps.can_get_line_numbers = 1;
  caps.can_get_source_file_name = 1;
  jvmtiError err = (*jvmti)->AddCapabilities(jvmti, &caps);
  if (err != JVMTI_ERROR_NONE) {
    return err;
  }
  jint slots = 2;
  while (slots < 2 * method_cap) {
    slots <<= 1;
  }
  method_slots = allocate(jvmti, (jlong) slots * (jlong) sizeof(Method *));
  methods = allocate(jvmti, (jlong) method_cap * (jlong) sizeof(Method *));
  live = allocate(jvmti, (jlong) live_cap * (jlong) sizeof(Live));
  free_slots = allocate(jvmti, (jlong) live_cap * (jlong) sizeof(jint));
  if (method_slots == NULL || methods == NULL || live == NULL || free_slots == NULL) {
    release(jvmti, (void *) method_slots, (jlong) slots * (jlong) sizeof(Method *));
    release(jvmti, (void *) methods, (jlong) method_cap * (jlong) sizeof(Method *));
    release(jvmti, live, (jlong) live_cap * (jlong) sizeof(Live));
    release(jvmti, free_slots, (jlong) live_cap * (jlong) sizeof(jint));
    err = (*jvmti)->RelinquishCapabilities(jvmti, &caps);
    if (err != JVMTI_ERROR_NONE) {
      failed(err); /* the capability stays held: another agent cannot take it */
    }
    return ERR_NO_MEMORY;
  }
  zero((void *) method_slots, (jlong) slots * (jlong) sizeof(Method *));
  zero((void *) methods, (jlong) method_cap * (jlong) sizeof(Method *));
  zero(live, (jlong) live_cap * (jlong) sizeof(Live));
  for (jint i = 0; i < live_cap; i++) {
    free_slots[i] = live_cap - 1 - i; /* slot 0 is handed out first */
  }
  free_count = live_cap;
  method_slot_mask = slots - 1;
  max_methods = method_cap;
  max_live = live_cap;
  max_pending = pending;
  max_depth = depth;

  jvmtiEventCallbacks callbacks;
  zero(&callbacks, sizeof(callbacks));
  callbacks.SampledObjectAlloc = &on_sample;
  callbacks.GarbageCollectionFinish = &on_gc_finish;
  err = (*jvmti)->SetEventCallbacks(jvmti, &callbacks, (jint) sizeof(callbacks));
  if (err == JVMTI_ERROR_NONE) {
    /* Go's MemProfileRate=1 records every allocation; JVMTI's interval 0 does. */
    err = (*jvmti)->SetHeapSamplingInterval(jvmti, interval <= 1 ? 0 : interval);
  }
  STORE(&interval_now, interval <= 1 ? 0 : interval);
  started = 1;
  STORE(&enabled, 1);
  if (err == JVMTI_ERROR_NONE) {
    err = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE,
        JVMTI_EVENT_GARBAGE_COLLECTION_FINISH, NULL);
  }
  if (err == JVMTI_ERROR_NONE) {
    err = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE,
        JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, NULL);
  }
  if (err != JVMTI_ERROR_NONE) {
    /* Tables stay allocated: a callback may already be running. Nothing more is recorded. */
    STORE(&enabled, 0);
    jvmtiError off = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE,
        JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, NULL);
    if (off != JVMTI_ERROR_NONE) {
      failed(off); /* counted; callbacks already record nothing while enabled is 0 */
    }
    return err;
  }
  return 0;
}

/*
 * Moves the pending samples into the live table and, with scan set, reports live samples whose
 * object has been collected. Called by one Java thread at a time (the Java side serializes).
 * The answer, one long array of which the first element says how many are used:
 *   [used, number of frees F, F freed live slots...,
 *    then per new sample: live slot (-1: not tracked, the live table is full), size, the
 *    interval its gap was drawn with, depth, depth x (method index << 32 | line)]
 * Returns NULL, with nothing changed, when there is no memory for the answer: the samples stay
 * pending and the frees unscanned for the next call.
 */
JNIEXPORT jlongArray JNICALL Java_dev_jpprof_agent_heap_NativeHeap_collect(JNIEnv *jni,
    jclass cls, jboolean scan) {
  (void) cls;
  if (!started) {
    return (*jni)->NewLongArray(jni, 0);
  }
  /* Take the whole pending list at once, and put it back in arrival order. */
  Sample *list = __atomic_exchange_n(&pending_head, NULL, __ATOMIC_ACQUIRE);
  Sample *ordered = NULL;
  jint taken = 0;
  jlong words = 2 + (scan ? (jlong) live_count : 0);
  while (list != NULL) {
    Sample *next = list->next;
    list->next = ordered;
    ordered = list;
    list = next;
    taken++;
    words += 4 + (jlong) ordered->depth;
  }
  jlongArray out = (*jni)->NewLongArray(jni, (jsize) words);
  jlong *buf = out == NULL ? NULL : allocate(jvmti, words * (jlong) sizeof(jlong));
  if (buf == NULL) {
    if ((*jni)->ExceptionCheck(jni)) {
      (*jni)->ExceptionClear(jni);
    }
    while (ordered != NULL) {
      Sample *next = ordered->next;
      push(ordered);
      ordered = next;
    }
    return NULL;
  }
  ADD(&pending_count, -taken);
  jlong w = 2;
  jint frees = 0;
  if (scan) {
    jint seen = 0;
    for (jint i = 0; i < max_live && seen < live_count; i++) {
      if (live[i].ref == NULL) {
        continue;
      }
      seen++;
      if ((*jni)->IsSameObject(jni, live[i].ref, NULL)) {
        (*jni)->DeleteWeakGlobalRef(jni, live[i].ref);
        live[i].ref = NULL;
        buf[w++] = i;
        frees++;
      }
    }
    for (jint k = 0; k < frees; k++) {
      free_slots[free_count++] = (jint) buf[2 + k];
    }
    live_count -= frees;
  }
  buf[1] = frees;
  while (ordered != NULL) {
    Sample *s = ordered;
    ordered = s->next;
    jint slot = -1;
    if (free_count > 0) {
      slot = free_slots[--free_count];
      live[slot].ref = s->ref;
      live[slot].size = s->size;
      live_count++;
    } else {
      (*jni)->DeleteWeakGlobalRef(jni, s->ref);
    }
    buf[w++] = slot;
    buf[w++] = s->size;
    buf[w++] = s->interval;
    buf[w++] = s->depth;
    for (jint i = 0; i < s->depth; i++) {
      buf[w++] = ((jlong) s->frames[2 * i] << 32) | (jlong) (unsigned int) s->frames[2 * i + 1];
    }
    release(jvmti, s, (jlong) sizeof(Sample) + 2 * (jlong) s->depth * (jlong) sizeof(jint));
  }
  buf[0] = w;
  (*jni)->SetLongArrayRegion(jni, out, 0, (jsize) w, buf);
  release(jvmti, buf, words * (jlong) sizeof(jlong));
  return out;
}

/*
 * Sets the JVM's sampling interval (bytes; 0 or 1: every allocation); from the Java side's
 * throttle. Threads keep the gap they have drawn and draw the next with it.
 */
JNIEXPORT jint JNICALL Java_dev_jpprof_agent_heap_NativeHeap_interval(JNIEnv *jni, jclass cls,
    jint interval) {
  (void) jni;
  (void) cls;
  if (!started || interval < 0) {
    return ERR_BAD_ARGUMENT;
  }
  jint value = interval <= 1 ? 0 : interval;
  jvmtiError err = (*jvmti)->SetHeapSamplingInterval(jvmti, value);
  if (err == JVMTI_ERROR_NONE) {
    STORE(&interval_now, value);
  }
  return err;
}

static jstring string(JNIEnv *jni, const char *s) {
  return s == NULL ? NULL : (*jni)->NewStringUTF(jni, s);
}

/* {class signature, method name, source file or null} of a method index; null if unknown. */
JNIEXPORT jobjectArray JNICALL Java_dev_jpprof_agent_heap_NativeHeap_method(JNIEnv *jni,
    jclass cls, jint index) {
  (void) cls;
  if (!started || index < 1 || index >= max_methods) {
    return NULL;
  }
  Method *m = LOAD(&methods[index]);
  if (m == NULL) {
    return NULL;
  }
  jclass string_class = (*jni)->FindClass(jni, "java/lang/String");
  if (string_class == NULL) {
    return NULL;
  }
  jobjectArray out = (*jni)->NewObjectArray(jni, 3, string_class, NULL);
  if (out == NULL) {
    return NULL;
  }
  const char *parts[3] = {m->class_signature, m->name, m->source_file};
  for (jint i = 0; i < 3; i++) {
    jstring s = string(jni, parts[i]);
    if (s == NULL && parts[i] != NULL) {
      return NULL; /* OutOfMemoryError pending */
    }
    (*jni)->SetObjectArrayElement(jni, out, i, s);
    if (s != NULL) {
      (*jni)->DeleteLocalRef(jni, s);
    }
  }
  return out;
}

/* The smallest line of a method index's line table; 0 if it has none. */
JNIEXPORT jint JNICALL Java_dev_jpprof_agent_heap_NativeHeap_startLine(JNIEnv *jni, jclass cls,
    jint index) {
  (void) jni;
  (void) cls;
  if (!started || index < 1 || index >= max_methods) {
    return 0;
  }
  Method *m = LOAD(&methods[index]);
  return m == NULL ? 0 : m->start_line;
}

/*
 * Counters: {samples seen, dropped objects, dropped bytes, GCs, native bytes held, live samples,
 * pending samples, methods resolved, JVMTI failures, last failure code}.
 */
JNIEXPORT jlongArray JNICALL Java_dev_jpprof_agent_heap_NativeHeap_stats(JNIEnv *jni,
    jclass cls) {
  (void) cls;
  jlong values[10] = {
      LOAD(&samples_seen), LOAD(&dropped_objects), LOAD(&dropped_bytes), LOAD(&gc_count),
      LOAD(&native_bytes), live_count, LOAD(&pending_count), LOAD(&method_count) - 1,
      LOAD(&failures), LOAD(&last_failure)};
  jlongArray out = (*jni)->NewLongArray(jni, 10);
  if (out != NULL) {
    (*jni)->SetLongArrayRegion(jni, out, 0, 10, values);
  }
  return out;
}
