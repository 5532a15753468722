// zlib, for reading gzip'd data files (Debian: zlib1g-dev).
#include <zlib.h>
