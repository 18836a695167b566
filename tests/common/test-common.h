/* test-common.h — the harness every test suite shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "test-wait.h"
#include "test-sim.h"
