/* AArch64 CPU feature flags, declared only: the image builder reads this header for every
 * platform's CPUFeatures struct (AArch64LibCHelper); this toolchain builds for x86-64 only. */
#ifndef INFERCORE_AARCH64CPUFEATURES_H
#define INFERCORE_AARCH64CPUFEATURES_H
typedef struct {
  char fFP;
  char fASIMD;
  char fEVTSTRM;
  char fAES;
  char fPMULL;
  char fSHA1;
  char fSHA2;
  char fCRC32;
  char fLSE;
  char fDCPOP;
  char fSHA3;
  char fSHA512;
  char fSVE;
  char fSVE2;
  char fSTXR_PREFETCH;
  char fA53MAC;
  char fDMB_ATOMICS;
  char fPACA;
  char fSVEBITPERM;
  char fFPHP;
  char fASIMDHP;
} CPUFeatures;
#endif
