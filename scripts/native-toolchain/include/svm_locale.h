/* Locale properties returned by svm_get_locale (libchelper.c); the fields are the ones
 * com.oracle.svm.core.c.locale.LocaleCHelper.LocaleProps declares. Written for infercore's native toolchain. */
#ifndef INFERCORE_SVM_LOCALE_H
#define INFERCORE_SVM_LOCALE_H
#define SVM_LOCALE_INITIALIZATION_SUCCEEDED 0
#define SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY 1
typedef struct {
  char *display_language;
  char *display_script;
  char *display_country;
  char *display_variant;
  char *format_language;
  char *format_script;
  char *format_country;
  char *format_variant;
} svm_locale_props_t;
#endif
