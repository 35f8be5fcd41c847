/* testutil.h: cmocka plus the helpers every unit test uses. */
#ifndef TESTUTIL_H
#define TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gleaner.h"

/* Path of the shared corpus relative to the project root (tests run from there). */
#define SHARED_DIR "../shared"

#endif
