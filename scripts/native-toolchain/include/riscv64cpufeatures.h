/* RISCV64 CPU feature flags, declared only: the image builder reads this header for every
 * platform's CPUFeatures struct (RISCV64LibCHelper); this toolchain builds for x86-64 only. */
#ifndef INFERCORE_RISCV64CPUFEATURES_H
#define INFERCORE_RISCV64CPUFEATURES_H
typedef struct {
  char fI;
  char fM;
  char fA;
  char fF;
  char fD;
  char fC;
  char fV;
} CPUFeatures;
#endif
