/* lablink.h — liblablink, a client library for LabLink lab-equipment servers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define LABLINK_INSIDE
# include "lablink-version.h"
# include "lablink-version-macros.h"
# include "lablink-error.h"
# include "lablink-message.h"
# include "lablink-protocol.h"
# include "lablink-equipment.h"
# include "lablink-certificate.h"
# include "lablink-client.h"
# include "lablink-locks.h"
# include "lablink-statistics.h"
# include "lablink-ring.h"
# include "lablink-acquisition-plan.h"
# include "lablink-decimate.h"
# include "lablink-discovery.h"
# include "lablink-spectrum.h"
# include "lablink-capture.h"
# include "lablink-export.h"
# include "lablink-stream-manager.h"
# include "lablink-enums.h"
#undef LABLINK_INSIDE
