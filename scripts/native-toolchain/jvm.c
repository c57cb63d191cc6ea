/*
 * libjvm.a for infercore's native toolchain: the HotSpot JVM_* entry points that the JDK's static
 * JNI libraries (libjava.a, libnio.a, libnet.a, libzip.a) call, for an image whose Java side is
 * Substrate VM. Written for this toolchain from the declarations in HotSpot's jvm.h; the svm runtime
 * implements the Java-level behaviour itself, so these cover only what the C code needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <sched.h>
#include <unistd.h>

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
