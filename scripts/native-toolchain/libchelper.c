/*
 * libchelper for infercore's native toolchain: the C helpers that the Substrate VM runtime
 * (org.graalvm.nativeimage:svm on Maven Central) calls through @CLibrary("libchelper") and that
 * GraalVM ships prebuilt. Written from the Java declarations in the svm jar (AMD64LibCHelper,
 * CSunMiscSignal, LinuxLibCHelper, LibCHelper, LocaleCHelper, AttachHelper,
 * CodeSynchronizationOperations); Linux on x86-64 only.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <locale.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

/* ---- CPU features ---------------------------------------------------------------------- */

static unsigned long long xgetbv0(void) {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((unsigned long long)edx << 32) | eax;
}

#define BIT(reg, n) ((((reg) >> (n)) & 1u) != 0)

void determineCPUFeatures(CPUFeatures *f) {
  unsigned int a = 0, b = 0, c = 0, d = 0, max = 0, maxext = 0;
  unsigned int b7 = 0, c7 = 0, d7 = 0, a71 = 0, d71 = 0;
  memset(f, 0, sizeof(*f));
  __cpuid(0, max, b, c, d);
  __cpuid(0x80000000, maxext, b, c, d);
  if (max < 1) return;
  __cpuid(1, a, b, c, d);
  unsigned int c1 = c, d1 = d;
  if (max >= 7) {
    __cpuid_count(7, 0, a, b7, c7, d7);
    __cpuid_count(7, 1, a71, b, c, d71);
  }
  int osxsave = BIT(c1, 27);
  unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
  int avx_os = osxsave && (xcr0 & 0x6) == 0x6;            /* XMM and YMM state */
  int avx512_os = avx_os && (xcr0 & 0xe0) == 0xe0;        /* opmask, ZMM_Hi256, Hi16_ZMM */

  f->fTSC = BIT(d1, 4);
  f->fCX8 = BIT(d1, 8);
  f->fCMOV = BIT(d1, 15);
  f->fFLUSH = BIT(d1, 19);
  f->fMMX = BIT(d1, 23);
  f->fFXSR = BIT(d1, 24);
  f->fSSE = BIT(d1, 25);
  f->fSSE2 = BIT(d1, 26);
  f->fHT = BIT(d1, 28);
  f->fSSE3 = BIT(c1, 0);
  f->fCLMUL = BIT(c1, 1);
  f->fSSSE3 = BIT(c1, 9);
  f->fSSE4_1 = BIT(c1, 19);
  f->fSSE4_2 = BIT(c1, 20);
  f->fPOPCNT = BIT(c1, 23);
  f->fAES = BIT(c1, 25);
  f->fHV = BIT(c1, 31);
  if (avx_os) {
    f->fAVX = BIT(c1, 28);
    f->fFMA = BIT(c1, 12) && f->fAVX;
    f->fF16C = BIT(c1, 29) && f->fAVX;
    f->fVZEROUPPER = f->fAVX;
    f->fAVX2 = BIT(b7, 5) && f->fAVX;
    f->fAVX_IFMA = BIT(a71, 23) && f->fAVX;
  }
  f->fBMI1 = BIT(b7, 3);
  f->fBMI2 = BIT(b7, 8);
  f->fERMS = BIT(b7, 9);
  f->fRTM = BIT(b7, 11);
  f->fADX = BIT(b7, 19);
  f->fFLUSHOPT = BIT(b7, 23);
  f->fCLWB = BIT(b7, 24);
  f->fSHA = BIT(b7, 29);
  f->fPKU = BIT(c7, 3);
  f->fOSPKE = BIT(c7, 4);
  f->fGFNI = BIT(c7, 8);
  f->fRDPID = BIT(c7, 22);
  f->fFSRM = BIT(d7, 4);
  f->fSERIALIZE = BIT(d7, 14);
  f->fCET_IBT = BIT(d7, 20);
  f->fCET_SS = BIT(c7, 7);
  f->fSHA512 = BIT(a71, 0) && f->fAVX2;
  if (avx512_os && BIT(b7, 16)) {
    f->fAVX512F = 1;
    f->fAVX512DQ = BIT(b7, 17);
    f->fAVX512_IFMA = BIT(b7, 21);
    f->fAVX512PF = BIT(b7, 26);
    f->fAVX512ER = BIT(b7, 27);
    f->fAVX512CD = BIT(b7, 28);
    f->fAVX512BW = BIT(b7, 30);
    f->fAVX512VL = BIT(b7, 31);
    f->fAVX512_VBMI = BIT(c7, 1);
    f->fAVX512_VBMI2 = BIT(c7, 6);
    f->fAVX512_VAES = BIT(c7, 9);
    f->fAVX512_VPCLMULQDQ = BIT(c7, 10);
    f->fAVX512_VNNI = BIT(c7, 11);
    f->fAVX512_BITALG = BIT(c7, 12);
    f->fAVX512_VPOPCNTDQ = BIT(c7, 14);
    f->fAVX512_FP16 = BIT(d7, 23);
  }
  if (maxext >= 0x80000001) {
    __cpuid(0x80000001, a, b, c, d);
    f->fLZCNT = BIT(c, 5);
    f->fSSE4A = BIT(c, 6);
    f->fAMD_3DNOW_PREFETCH = BIT(c, 8);
    f->fRDTSCP = BIT(d, 27);
  }
  if (maxext >= 0x80000007) {
    __cpuid(0x80000007, a, b, c, d);
    f->fTSCINV_BIT = BIT(d, 8);
    f->fTSCINV = f->fTSCINV_BIT;
  }
}

/*
 * The builder stores the features the image needs as a CPUFeatures-shaped mask, bitwise negated:
 * a required feature's byte is ~1, every other byte 0xff. Every byte of (present | mask) must be 0xff.
 */
int checkCPUFeatures(const unsigned char *mask) {
  CPUFeatures present;
  determineCPUFeatures(&present);
  const unsigned char *p = (const unsigned char *)&present;
  for (size_t i = 0; i < sizeof(present); i++) {
    if ((unsigned char)(p[i] | mask[i]) != 0xff) return 1;
  }
  return 0;
}

int checkCPUFeaturesOrExit(const unsigned char *mask, const char *message) {
  if (checkCPUFeatures(mask) != 0) {
    fprintf(stderr, "%s\n", message);
    exit(1);
  }
  return 0;
}

/* ---- Java signal dispatch (sun.misc.Signal / jdk.internal.misc.Signal) ------------------- */

static volatile int signal_owner = 0;
static sem_t signal_semaphore;
static volatile int signal_counts[NSIG];

int cSunMiscSignal_open(void) {
  if (!__sync_bool_compare_and_swap(&signal_owner, 0, 1)) return 1;
  memset((void *)signal_counts, 0, sizeof(signal_counts));
  if (sem_init(&signal_semaphore, 0, 0) != 0) {
    signal_owner = 0;
    return errno == 0 ? -1 : errno;
  }
  return 0;
}

int cSunMiscSignal_close(void) {
  if (!__sync_bool_compare_and_swap(&signal_owner, 1, 0)) return 0;
  return sem_destroy(&signal_semaphore);
}

int cSunMiscSignal_awaitSemaphore(void) {
  if (sem_wait(&signal_semaphore) != 0 && errno != EINTR) return errno;
  return 0;
}

int cSunMiscSignal_signalSemaphore(void) {
  return sem_post(&signal_semaphore);
}

int cSunMiscSignal_signalRangeCheck(int sig) {
  return sig > 0 && sig < NSIG;
}

int cSunMiscSignal_checkPendingSignal(void) {
  for (int sig = 1; sig < NSIG; sig++) {
    int count = signal_counts[sig];
    while (count > 0) {
      if (__sync_bool_compare_and_swap(&signal_counts[sig], count, count - 1)) return sig;
      count = signal_counts[sig];
    }
  }
  return -1;
}

static void cSunMiscSignal_handler(int sig) {
  int saved = errno;
  if (sig > 0 && sig < NSIG) {
    __sync_fetch_and_add(&signal_counts[sig], 1);
    sem_post(&signal_semaphore);
  }
  errno = saved;
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) {
  return (void *)&cSunMiscSignal_handler;
}

/* ---- Linux threads and memory ------------------------------------------------------------ */

int getThreadId(void) {
  return (int)syscall(SYS_gettid);
}

/* User CPU time of a thread in nanoseconds, from /proc/self/task/<tid>/stat (field 14, utime). */
long long getThreadUserTimeSlow(int tid) {
  char path[64], buf[2048];
  snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
  FILE *fp = fopen(path, "r");
  if (fp == NULL) return -1;
  size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
  fclose(fp);
  buf[n] = 0;
  char *s = strrchr(buf, ')'); /* the command name may contain spaces */
  if (s == NULL) return -1;
  unsigned long long utime = 0;
  /* after ") " come: state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) */
  if (sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu", &utime) != 1) return -1;
  long ticks = sysconf(_SC_CLK_TCK);
  return (long long)(utime * (1000000000ULL / (unsigned long long)(ticks > 0 ? ticks : 100)));
}

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) {
  return mremap(old_address, old_size, new_size, flags, new_address);
}

/* ---- Environment, time zone, code cache -------------------------------------------------- */

extern char **environ;
char **getEnviron(void) {
  return environ;
}

/* Only used on Windows (tzmappings); Linux reads /etc/localtime and TZ in Java. */
char *SVM_FindJavaTZmd(const char *tzMappings, int length) {
  (void)tzMappings;
  (void)length;
  return NULL;
}

/* x86-64 keeps instruction and data caches coherent. */
void clearCache(void *start, long size) {
  (void)start;
  (void)size;
}

/* ---- Locale ------------------------------------------------------------------------------ */

static svm_locale_props_t locale_props;

/* Splits a POSIX locale name (language_COUNTRY.codeset@modifier) into its parts. */
static void split_locale(const char *name, char **language, char **country, char **variant) {
  *language = *country = *variant = NULL;
  if (name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0) {
    *language = strdup("en");
    return;
  }
  char *copy = strdup(name);
  if (copy == NULL) return;
  char *at = strchr(copy, '@');
  if (at != NULL) *at++ = 0;
  char *dot = strchr(copy, '.');
  if (dot != NULL) *dot = 0;
  char *underscore = strchr(copy, '_');
  if (underscore != NULL) {
    *underscore++ = 0;
    *country = strdup(underscore);
  }
  *language = strdup(copy[0] ? copy : "en");
  if (at != NULL && strcmp(at, "euro") != 0) *variant = strdup(at);
  free(copy);
}

int svm_initialize_locale(void) {
  const char *previous = setlocale(LC_ALL, NULL);
  char *saved = previous != NULL ? strdup(previous) : NULL;
  setlocale(LC_ALL, "");
  const char *messages = setlocale(LC_MESSAGES, NULL);
  const char *format = setlocale(LC_CTYPE, NULL);
  split_locale(messages, &locale_props.display_language, &locale_props.display_country, &locale_props.display_variant);
  split_locale(format, &locale_props.format_language, &locale_props.format_country, &locale_props.format_variant);
  locale_props.display_script = NULL;
  locale_props.format_script = NULL;
  setlocale(LC_ALL, saved != NULL ? saved : "C");
  free(saved);
  if (locale_props.display_language == NULL || locale_props.format_language == NULL) {
    return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
  }
  return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) {
  return &locale_props;
}

/* ---- Attach API (jcmd): not supported by this toolchain; the image refuses attach requests -- */

void svm_attach_startup(const char *path) { (void)path; }
void svm_attach_listener_cleanup(int socket, const char *path) { (void)socket; (void)path; }
int svm_attach_check_socket_file(const char *path) { (void)path; return 0; }
int svm_attach_is_init_trigger(const char *path) { (void)path; return 0; }
int svm_attach_create_listener(const char *path) { (void)path; return -1; }
int svm_attach_wait_for_request(int socket) { (void)socket; return -1; }
void svm_attach_shutdown_socket(int socket) { (void)socket; }

/* ---- variadic libc calls with fixed arguments (PosixVMThreads, Fcntl) ---------------------- */

int fprintfSD(FILE *stream, const char *format, const char *arg0, int arg1) {
  return fprintf(stream, format, arg0, arg1);
}

int openSII(const char *path, int flags, int mode) {
  return open(path, flags, mode);
}

/* ---- container support (ContainerLibrary, libsvm_container in GraalVM) -------------------- */
/* Not a cgroup reader: the image sees the machine's memory and the CPUs of its affinity mask. */

#define SVM_CONTAINER_VERSION 240100
int svm_container_initialize(int version) {
  if (version < SVM_CONTAINER_VERSION) return 3; /* ERROR_LIBCONTAINER_TOO_NEW */
  if (version > SVM_CONTAINER_VERSION) return 2; /* ERROR_LIBCONTAINER_TOO_OLD */
  return 0;                                      /* SUCCESS_IS_NOT_CONTAINERIZED */
}

size_t svm_container_physical_memory(void) {
  return (size_t)sysconf(_SC_PHYS_PAGES) * (size_t)sysconf(_SC_PAGESIZE);
}

long long svm_container_memory_limit_in_bytes(void) { return -1; }
long long svm_container_memory_and_swap_limit_in_bytes(void) { return -1; }
long long svm_container_memory_soft_limit_in_bytes(void) { return -1; }
long long svm_container_memory_usage_in_bytes(void) { return -1; }
long long svm_container_memory_max_usage_in_bytes(void) { return -1; }
long long svm_container_rss_usage_in_bytes(void) { return -1; }
long long svm_container_cache_usage_in_bytes(void) { return -1; }

int svm_container_active_processor_count(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}
