#pragma once
// Moved to engine/crypto.h; this forwarding header goes once every include is updated.
#include "engine/crypto.h"
