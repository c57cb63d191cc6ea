/*
 * libjvm.a for infercore's native toolchain: the HotSpot JVM_* entry points that the JDK's static
 * JNI libraries (libjava.a, libnio.a, libnet.a, libzip.a) call, for an image whose Java side is
 * Substrate VM. Written for this toolchain from the declarations in HotSpot's jvm.h; the svm runtime
 * implements the Java-level behaviour itself, so these cover only what the C code needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <jni.h>
#include <sched.h>
#include <unistd.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* com.oracle.svm.core.jdk.Jvm.initialize: keeps this library on the link line. */
void initialize(void) {}

jint JVM_ActiveProcessorCount(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? (jint)online : 1;
}

/* ---- raw monitors (zip_util.c): recursive mutexes ---------------------------------------- */

void *JVM_RawMonitorCreate(void) {
  pthread_mutexattr_t attr;
  pthread_mutex_t *m = malloc(sizeof(pthread_mutex_t));
  if (m == NULL) return NULL;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(m, &attr);
  pthread_mutexattr_destroy(&attr);
  return m;
}

void JVM_RawMonitorDestroy(void *mon) {
  pthread_mutex_destroy((pthread_mutex_t *)mon);
  free(mon);
}

jint JVM_RawMonitorEnter(void *mon) {
  return pthread_mutex_lock((pthread_mutex_t *)mon);
}

void JVM_RawMonitorExit(void *mon) {
  pthread_mutex_unlock((pthread_mutex_t *)mon);
}

/* ---- formatted output (jvm_io.h) --------------------------------------------------------- */

int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
  if ((intptr_t)count <= 0) return -1;
  int result = vsnprintf(str, count, fmt, args);
  if (result > 0 && (size_t)result >= count) result = -1;
  return result;
}

int jio_snprintf(char *str, size_t count, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  int result = jio_vsnprintf(str, count, fmt, args);
  va_end(args);
  return result;
}

int jio_vfprintf(FILE *f, const char *fmt, va_list args) {
  return vfprintf(f, fmt, args);
}

int jio_fprintf(FILE *f, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  int result = vfprintf(f, fmt, args);
  va_end(args);
  return result;
}

/* ---- time, paths, libraries, exit -------------------------------------------------------- */

jlong JVM_NanoTime(JNIEnv *env, jclass ignored) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (jlong)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

char *JVM_NativePath(char *path) {
  return path;
}

void *JVM_FindLibraryEntry(void *handle, const char *name) {
  return dlsym(handle, name);
}

void JVM_BeforeHalt(void) {}

void JVM_Halt(jint code) {
  _exit(code);
}

/* ---- signals (jdk.internal.misc.Signal, when its natives are linked) ----------------------- */
#include <signal.h>

jint JVM_FindSignal(const char *name) {
  static const struct { const char *name; int number; } signals[] = {
    {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ILL", SIGILL}, {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU}, {"URG", SIGURG}, {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO}, {"PWR", SIGPWR}, {"SYS", SIGSYS}};
  for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
    if (strcmp(name, signals[i].name) == 0) return signals[i].number;
  }
  return -1;
}

void *JVM_RegisterSignal(jint sig, void *handler) {
  struct sigaction next, previous;
  memset(&next, 0, sizeof(next));
  next.sa_handler = (void (*)(int))handler;
  sigemptyset(&next.sa_mask);
  next.sa_flags = SA_RESTART;
  if (sigaction(sig, &next, &previous) != 0) return (void *)-1;
  return (void *)previous.sa_handler;
}

/* jmm (java.lang.management in HotSpot): not available; libmanagement_ext's JNI_OnLoad copes. */
void *JVM_GetManagement(jint version) {
  (void)version;
  return NULL;
}
