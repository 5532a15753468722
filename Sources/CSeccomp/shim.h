// libseccomp, to build the sandbox's system-call filter (Debian: libseccomp-dev).
#include <seccomp.h>

// SCMP_ACT_ERRNO is a function-like macro, which Swift does not import.
static inline uint32_t grade_scmp_act_errno(uint16_t code) { return SCMP_ACT_ERRNO(code); }
